using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>Where an object keeps what its Scale shows: spec.replicas, status.replicas and the selector.</summary>
/// <param name="LabelSelectorPath">For custom resources: the path of a string selector; null for built-ins (spec.selector is formatted).</param>
public sealed record ScalePaths(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath, bool BuiltIn)
{
    public static ScalePaths BuiltInWorkload { get; } = new(".spec.replicas", ".status.replicas", null, true);

    /// <summary>A CRD version's spec.versions[].subresources.scale, or null when it has none.</summary>
    public static ScalePaths? FromCrd(JsonObject? crd, string version)
    {
        var v = (crd?["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(x => (string?)x["name"] == version);
        if (v?["subresources"]?["scale"] is not JsonObject scale) return null;
        return new((string?)scale["specReplicasPath"] ?? ".spec.replicas", (string?)scale["statusReplicasPath"] ?? ".status.replicas",
            (string?)scale["labelSelectorPath"], false);
    }
}

/// <summary>The autoscaling/v1 Scale view of an object with a /scale subresource.</summary>
public static class Scale
{
    public static JsonObject FromObject(ResourceType type, JsonObject obj, ScalePaths? paths = null)
    {
        paths ??= ScalePaths.BuiltInWorkload;
        var metadata = new JsonObject { ["name"] = ObjectMeta.Name(obj) };
        if (ObjectMeta.Namespace(obj) is { Length: > 0 } ns) metadata["namespace"] = ns;
        metadata["uid"] = ObjectMeta.Str(obj, "uid");
        metadata["resourceVersion"] = ObjectMeta.Str(obj, "resourceVersion");
        metadata["creationTimestamp"] = ObjectMeta.Str(obj, "creationTimestamp");
        var spec = new JsonObject();
        // Scale.spec.replicas is omitempty in Go; Scale.status.replicas is not.
        if (Read(obj, paths.SpecReplicasPath) is JsonValue sr && sr.TryGetValue<long>(out var specReplicas) && specReplicas != 0) spec["replicas"] = specReplicas;
        var status = new JsonObject
        {
            ["replicas"] = Read(obj, paths.StatusReplicasPath) is JsonValue st && st.TryGetValue<long>(out var statusReplicas) ? statusReplicas : 0,
        };
        var selector = paths.BuiltIn
            ? FormatSelector(obj["spec"]?["selector"] as JsonObject)
            : paths.LabelSelectorPath is { } p && Read(obj, p) is JsonValue sel && sel.TryGetValue<string>(out var s) ? s : "";
        if (selector.Length > 0) status["selector"] = selector;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = status,
        };
    }

    /// <summary>
    /// The object with the replicas a Scale asks for, after the checks the apiserver makes on a
    /// Scale write (name, resourceVersion precondition, replicas &gt;= 0).
    /// </summary>
    public static JsonObject Apply(ResourceType type, JsonObject old, JsonObject scale, ScalePaths paths)
    {
        var name = ObjectMeta.Name(old);
        if (ObjectMeta.Name(scale) is { Length: > 0 } n && n != name)
            throw StatusException.BadRequest($"the name of the object ({n}) does not match the name on the URL ({name})");
        if (ObjectMeta.Str(scale, "resourceVersion") is { Length: > 0 } rv && rv != ObjectMeta.Str(old, "resourceVersion"))
            throw StatusException.Conflict(type, name);
        long replicas = 0;
        if (scale["spec"]?["replicas"] is { } r && !(r is JsonValue v && v.TryGetValue(out replicas)))
            throw StatusException.BadRequest("Scale.spec.replicas must be an integer");
        if (replicas < 0)
            throw new StatusException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
                new JsonObject
                {
                    ["name"] = name, ["group"] = "autoscaling", ["kind"] = "Scale",
                    ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: {replicas}: must be greater than or equal to 0", ["field"] = "spec.replicas" }),
                });
        var result = old.DeepClone().AsObject();
        var segments = Segments(paths.SpecReplicasPath);
        JsonObject parent = result;
        foreach (var s in segments[..^1])
        {
            if (parent[s] is not JsonObject child) parent[s] = child = new JsonObject();
            parent = child;
        }
        parent[segments[^1]] = replicas;
        return result;
    }

    private static JsonNode? Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var s in Segments(path)) node = (node as JsonObject)?[s];
        return node;
    }

    private static string[] Segments(string path) => path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>metav1.FormatLabelSelector: "a=b,c in (d,e),!f".</summary>
    internal static string FormatSelector(JsonObject? selector)
    {
        if (selector is null) return "";
        var parts = new List<string>();
        foreach (var (k, v) in (selector["matchLabels"] as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
            parts.Add($"{k}={(string?)v}");
        foreach (var e in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = (string?)e["key"] ?? "";
            var values = (e["values"] as JsonArray ?? []).Select(x => (string?)x ?? "").Order(StringComparer.Ordinal).ToList();
            parts.Add(((string?)e["operator"]) switch
            {
                "In" => $"{key} in ({string.Join(",", values)})",
                "NotIn" => $"{key} notin ({string.Join(",", values)})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var op => $"{key} {op} ({string.Join(",", values)})",
            });
        }
        return string.Join(",", parts);
    }
}
