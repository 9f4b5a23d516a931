using GitOps.Sandbox.Patching;
using System.Text.Json.Nodes;
using Xunit;
using static GitOps.Sandbox.Tests.Patching.PatchAssert;

namespace GitOps.Sandbox.Tests.Patching;

public sealed class MergePatchTests
{
    /// <summary>RFC 7386 appendix A, row by row.</summary>
    public static TheoryData<string, string, string, string> Apply_Rfc7386Example_TestData() => new()
    {
        { "1 replace member", "{'a':'b'}", "{'a':'c'}", "{'a':'c'}" },
        { "2 add member", "{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}" },
        { "3 null deletes", "{'a':'b'}", "{'a':null}", "{}" },
        { "4 null deletes one", "{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}" },
        { "5 array replaced by string", "{'a':['b']}", "{'a':'c'}", "{'a':'c'}" },
        { "6 string replaced by array", "{'a':'c'}", "{'a':['b']}", "{'a':['b']}" },
        { "7 nested merge", "{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}" },
        { "8 array replaced", "{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}" },
        { "9 array document replaced", "['a','b']", "['c','d']", "['c','d']" },
        { "10 object replaced by array", "{'a':'b'}", "['c']", "['c']" },
        { "11 null patch", "{'a':'foo'}", "null", "null" },
        { "12 string patch", "{'a':'foo'}", "'bar'", "'bar'" },
        { "13 null member kept", "{'e':null}", "{'a':1}", "{'e':null,'a':1}" },
        { "14 array document patched by object", "[1,2]", "{'a':'b','c':null}", "{'a':'b'}" },
        { "15 nested nulls pruned", "{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}" },
    };

    [Theory]
    [MemberData(nameof(Apply_Rfc7386Example_TestData))]
    public void Apply_Rfc7386Example_ReturnsRfcResult(string caseName, string target, string patch, string expected)
    {
        Assert.NotEmpty(caseName);
        var original = Json(target);
        var before = original?.ToJsonString();

        var result = MergePatch.Apply(original, Json(patch));

        Equal(Json(expected), result);
        Assert.Equal(before, original?.ToJsonString());
    }

    public static TheoryData<string, string> ApplyToObject_ScalarOrNullPatch_TestData() => new()
    {
        { "null", "null" },
        { "number", "5" },
        { "string", "'x'" },
    };

    [Theory]
    [MemberData(nameof(ApplyToObject_ScalarOrNullPatch_TestData))]
    public void ApplyToObject_ScalarOrNullPatch_ThrowsBadRequest(string caseName, string patch)
    {
        Assert.NotEmpty(caseName);

        var error = Assert.Throws<PatchException>(() => MergePatch.ApplyToObject(new JsonObject { ["a"] = 1 }, Json(patch)));

        Assert.Equal(400, error.Code);
        Assert.Equal("Invalid JSON Patch", error.Message);
    }
}
