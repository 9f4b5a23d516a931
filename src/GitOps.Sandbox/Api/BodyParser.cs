using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>Decodes request bodies (JSON, or YAML for apply) with kube-apiserver's error messages.</summary>
public static class BodyParser
{
    public static JsonObject ParseObject(ResourceType type, string body, string? contentType)
    {
        if (contentType is not null && contentType.Contains("yaml", StringComparison.Ordinal)) return ParseYamlObject(type, body).Object;
        JsonNode? node;
        try { node = Decoding.StrictJson.Parse(body); }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): couldn't get version/kind; json parse error: {e.Message}");
        }
        if (node is not JsonObject obj)
            throw StatusException.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): couldn't get version/kind; json parse error: expected an object");
        // Like the apiserver's decoder, a body without apiVersion/kind takes the endpoint's.
        if (obj["kind"] is null) obj["kind"] = type.Kind;
        if (obj["apiVersion"] is null) obj["apiVersion"] = type.ApiVersion;
        CheckKind(type, obj);
        return obj;
    }

    /// <summary>The applied object and the keys its YAML repeats (for the field validation that runs after the merge).</summary>
    public static (JsonObject Object, IReadOnlyList<string> Duplicates) ParseApplyBody(ResourceType type, string body)
    {
        var (obj, duplicates) = ParseYamlObject(type, body);
        CheckKind(type, obj);
        return (obj, duplicates);
    }

    private static (JsonObject Object, IReadOnlyList<string> Duplicates) ParseYamlObject(ResourceType type, string body)
    {
        (JsonNode? Node, IReadOnlyList<string> Duplicates) parsed;
        try { parsed = YamlJson.ParseWithDuplicates(body); }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or FormatException)
        {
            throw StatusException.BadRequest($"error decoding YAML: {e.Message}");
        }
        return parsed.Node is JsonObject obj ? (obj, parsed.Duplicates)
            : throw StatusException.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): couldn't get version/kind; json parse error: expected an object");
    }

    /// <summary>The body's apiVersion and kind must name this resource's kind (any served version of its group).</summary>
    public static void CheckKind(ResourceType type, JsonObject obj)
    {
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var ks) ? ks : "";
        var apiVersion = obj["apiVersion"] is JsonValue a && a.TryGetValue<string>(out var av) ? av : "";
        if (kind.Length == 0)
            throw StatusException.BadRequest($"Object 'Kind' is missing in '{Truncate(obj.ToJsonString())}'");
        if (apiVersion.Length == 0)
            throw StatusException.BadRequest($"Object 'apiVersion' is missing in '{Truncate(obj.ToJsonString())}'");
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        if (kind != type.Kind || group != type.Group)
            throw StatusException.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {type.Kind}: converting ({version}.{kind}) to ({(type.Group.Length == 0 ? "core" : type.Group)}.{type.Kind}): unknown conversion");
    }

    private static string Truncate(string s) => s.Length > 200 ? s[..200] : s;
}
