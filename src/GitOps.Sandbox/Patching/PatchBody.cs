using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Patching;

/// <summary>
/// Decodes a PATCH request body the way kube-apiserver does before applying it, so that an undecodable
/// body fails with the same 400 BadRequest message: Go's json syntax error for JSON patch and strategic
/// merge patch, "Invalid JSON Patch" for merge patch.
/// </summary>
public static class PatchBody
{
    public const string JsonPatchType = "application/json-patch+json";
    public const string MergePatchType = "application/merge-patch+json";
    public const string StrategicMergePatchType = "application/strategic-merge-patch+json";

    /// <summary>Parses <paramref name="body"/> for the given patch content type, or throws a 400 <see cref="PatchException"/>.</summary>
    public static JsonNode? Parse(string body, string contentType)
    {
        var syntaxError = GoJsonSyntax.Error(body);
        if (syntaxError is not null)
            throw PatchException.BadRequest(contentType == MergePatchType ? "Invalid JSON Patch" : syntaxError);
        var node = Decoding.StrictJson.Parse(body);
        if (contentType == StrategicMergePatchType && node is not (JsonObject or null))
            throw PatchException.BadRequest($"json: cannot unmarshal {JsonValues.GoJsonTypeName(node)} into Go value of type map[string]interface {{}}");
        return node;
    }

    /// <summary>The strategic merge patch object of a body (a JSON null body is an empty patch).</summary>
    public static JsonObject ParseStrategic(string body) =>
        Parse(body, StrategicMergePatchType) as JsonObject ?? [];
}
