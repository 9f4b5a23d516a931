using System.Text.Json.Nodes;
using GitOps.Sandbox.Patching;
using Xunit;

namespace GitOps.Sandbox.Tests.Patching;

/// <summary>Parsing and comparing JSON in patch tests (single quotes stand for double quotes).</summary>
internal static class PatchAssert
{
    public static JsonNode? Json(string text) => JsonNode.Parse(text.Replace('\'', '"'));

    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        Assert.True(JsonValues.DeepEquals(expected, actual),
            $"expected {expected?.ToJsonString() ?? "null"}\nactual   {actual?.ToJsonString() ?? "null"}");
    }
}
