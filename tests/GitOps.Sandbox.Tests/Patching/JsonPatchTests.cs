using GitOps.Sandbox.Patching;
using Xunit;
using static GitOps.Sandbox.Tests.Patching.PatchAssert;

namespace GitOps.Sandbox.Tests.Patching;

public sealed class JsonPatchTests
{
    public static TheoryData<string, string, string, string> Apply_ValidPatch_TestData() => new()
    {
        { "A.1 add object member", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}" },
        { "A.2 add array element", "{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}" },
        { "A.3 remove object member", "{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}" },
        { "A.4 remove array element", "{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}" },
        { "A.5 replace value", "{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}" },
        { "A.6 move value", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}", "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]", "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}" },
        { "A.7 move array element", "{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}" },
        { "A.8 test success", "{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]", "{'baz':'qux','foo':['a',2,'c']}" },
        { "A.10 add nested member", "{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}" },
        { "A.11 ignore unrecognized members", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}" },
        { "A.14 tilde escapes", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}" },
        { "A.16 add array value", "{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}" },
        { "copy object", "{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':1},'c':{'b':1}}" },
        { "copy is deep", "{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'},{'op':'replace','path':'/c/b','value':2}]", "{'a':{'b':1},'c':{'b':2}}" },
        { "slash escape in member", "{'metadata':{'labels':{}}}", "[{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name','value':'x'}]", "{'metadata':{'labels':{'app.kubernetes.io/name':'x'}}}" },
        { "negative index counts from end", "{'a':[1,2,3]}", "[{'op':'remove','path':'/a/-1'}]", "{'a':[1,2]}" },
        { "add at end index", "{'a':[1]}", "[{'op':'add','path':'/a/1','value':2}]", "{'a':[1,2]}" },
        { "replace missing member adds it", "{'a':{}}", "[{'op':'replace','path':'/a/b','value':1}]", "{'a':{'b':1}}" },
        { "test number equals float", "{'a':1}", "[{'op':'test','path':'/a','value':1.0}]", "{'a':1}" },
        { "test missing member against null", "{'a':1}", "[{'op':'test','path':'/b','value':null}]", "{'a':1}" },
        { "null patch is empty", "{'a':1}", "null", "{'a':1}" },
    };

    [Theory]
    [MemberData(nameof(Apply_ValidPatch_TestData))]
    public void Apply_ValidPatch_ReturnsPatchedDocument(string caseName, string document, string patch, string expected)
    {
        Assert.NotEmpty(caseName);
        var original = Json(document);
        var before = original!.ToJsonString();

        var result = JsonPatch.Apply(original, Json(patch));

        Equal(Json(expected), result);
        Assert.Equal(before, original.ToJsonString());
    }

    public static TheoryData<string, string, string, int, string> Apply_BadPatch_TestData() => new()
    {
        { "A.9 test failure", "{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]", 422, PatchException.RejectedMessage },
        { "A.12 add to missing parent", "{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]", 422, PatchException.RejectedMessage },
        { "A.15 string is not number", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", 422, PatchException.RejectedMessage },
        { "remove missing member", "{'a':1}", "[{'op':'remove','path':'/b'}]", 422, PatchException.RejectedMessage },
        { "index out of range", "{'a':[1]}", "[{'op':'replace','path':'/a/5','value':2}]", 422, PatchException.RejectedMessage },
        { "add past end", "{'a':[1]}", "[{'op':'add','path':'/a/3','value':2}]", 422, PatchException.RejectedMessage },
        { "unknown op", "{'a':1}", "[{'op':'frob','path':'/a'}]", 422, PatchException.RejectedMessage },
        { "missing path", "{'a':1}", "[{'op':'add','value':1}]", 422, PatchException.RejectedMessage },
        { "move from missing", "{'a':1}", "[{'op':'move','from':'/x','path':'/y'}]", 422, PatchException.RejectedMessage },
        { "object instead of array", "{'a':1}", "{'op':'add'}", 400, "json: cannot unmarshal object into Go value of type jsonpatch.Patch" },
        { "string operation", "{'a':1}", "['add']", 400, "json: cannot unmarshal string into Go value of type jsonpatch.Operation" },
    };

    [Theory]
    [MemberData(nameof(Apply_BadPatch_TestData))]
    public void Apply_BadPatch_ThrowsStatusOfKubeApiserver(string caseName, string document, string patch, int code, string message)
    {
        Assert.NotEmpty(caseName);

        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json(document), Json(patch)));

        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Equal(code == 422, error.IsInvalid);
        Assert.Equal(code == 422 ? "Invalid" : "BadRequest", error.Reason);
    }
}
