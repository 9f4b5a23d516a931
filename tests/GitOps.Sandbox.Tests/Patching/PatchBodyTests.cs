using GitOps.Sandbox.Patching;
using Xunit;

namespace GitOps.Sandbox.Tests.Patching;

public sealed class PatchBodyTests
{
    public static TheoryData<string, string, string, string> Parse_InvalidBody_TestData() => new()
    {
        { "object key expected (recorded in errors.json)", "{not json", PatchBody.JsonPatchType, "invalid character 'n' looking for beginning of object key string" },
        { "empty body", "", PatchBody.StrategicMergePatchType, "unexpected end of JSON input" },
        { "truncated array", "[{\"op\":\"add\"}", PatchBody.JsonPatchType, "unexpected end of JSON input" },
        { "missing colon", "{\"a\" 1}", PatchBody.StrategicMergePatchType, "invalid character '1' after object key" },
        { "missing comma", "{\"a\":1 \"b\":2}", PatchBody.StrategicMergePatchType, "invalid character '\"' after object key:value pair" },
        { "bad array separator", "[1;2]", PatchBody.JsonPatchType, "invalid character ';' after array element" },
        { "bad literal", "{\"a\":tru}", PatchBody.StrategicMergePatchType, "invalid character '}' in literal true (expecting 'e')" },
        { "trailing data", "{} x", PatchBody.StrategicMergePatchType, "invalid character 'x' after top-level value" },
        { "single quotes", "{'a':1}", PatchBody.StrategicMergePatchType, "invalid character '\\'' looking for beginning of object key string" },
        { "merge patch syntax error", "{not json", PatchBody.MergePatchType, "Invalid JSON Patch" },
        { "strategic patch not an object", "[1]", PatchBody.StrategicMergePatchType, "json: cannot unmarshal array into Go value of type map[string]interface {}" },
    };

    [Theory]
    [MemberData(nameof(Parse_InvalidBody_TestData))]
    public void Parse_InvalidBody_ThrowsBadRequestWithGoMessage(string caseName, string body, string contentType, string message)
    {
        Assert.NotEmpty(caseName);

        var error = Assert.Throws<PatchException>(() => PatchBody.Parse(body, contentType));

        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.Equal(message, error.Message);
    }

    public static TheoryData<string, string> Parse_ValidBody_TestData() => new()
    {
        { "object", "{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\n\"]}" },
        { "array", " [ ] " },
        { "null", "null" },
    };

    [Theory]
    [MemberData(nameof(Parse_ValidBody_TestData))]
    public void Parse_ValidBody_ReturnsNode(string caseName, string body)
    {
        Assert.NotEmpty(caseName);

        var node = PatchBody.Parse(body, PatchBody.JsonPatchType);

        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(body)?.ToJsonString(), node?.ToJsonString());
    }
}
