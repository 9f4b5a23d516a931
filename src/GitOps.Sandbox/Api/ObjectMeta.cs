using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api;

/// <summary>Small accessors for the metadata of a JSON object.</summary>
public static class ObjectMeta
{
    public static JsonObject Meta(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    public static string Name(JsonObject obj) => Str(obj, "name") ?? "";
    public static string Namespace(JsonObject obj) => Str(obj, "namespace") ?? "";

    public static string? Str(JsonObject obj, string field) =>
        obj["metadata"]?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A whole-number field, however it was stored (a JsonValue built from an int does not read as long).</summary>
    public static long? Long(JsonObject obj, string field) =>
        obj["metadata"]?[field] is JsonValue v
            ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<double>(out var d) && d == Math.Floor(d) ? (long)d : null
            : null;

    public static long ResourceVersion(JsonObject obj) =>
        long.TryParse(Str(obj, "resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    public static List<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(x => x?.ToString() ?? "")] : [];

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static readonly string[] MetaOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    /// <summary>Puts kind, apiVersion, metadata first and metadata's fields in the apiserver's order.</summary>
    public static JsonObject Canonical(JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var first in new[] { "kind", "apiVersion" })
            if (obj.ContainsKey(first)) result[first] = obj[first]?.DeepClone();
        if (obj["metadata"] is JsonObject meta)
        {
            var m = new JsonObject();
            foreach (var f in MetaOrder) if (meta.ContainsKey(f) && meta[f] is not null) m[f] = meta[f]!.DeepClone();
            foreach (var (k, v) in meta) if (!m.ContainsKey(k) && v is not null) m[k] = v.DeepClone();
            result["metadata"] = m;
        }
        foreach (var (k, v) in obj)
            if (k is not ("kind" or "apiVersion" or "metadata")) result[k] = v?.DeepClone();
        return result;
    }
}
