using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Patching;

/// <summary>The directives of a strategic merge patch and the apimachinery (mergepatch) errors about them.</summary>
internal static class SmpDirectives
{
    public const string Marker = "$patch";
    public const string Replace = "replace";
    public const string Delete = "delete";
    public const string Merge = "merge";
    public const string RetainKeys = "$retainKeys";
    public const string SetElementOrderPrefix = "$setElementOrder";
    public const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";

    public const string BadRetainKeys = "invalid patch format of retainKeys";
    public const string BadPrimitiveList = "invalid patch format of primitive list";
    public const string BadSetElementOrder = "invalid patch format of setElementOrder list";
    public const string NoListOfLists = "lists of lists are not supported";

    public static bool IsDirectiveKey(string key) =>
        key == Marker || key == RetainKeys ||
        key.StartsWith(SetElementOrderPrefix + "/", StringComparison.Ordinal) ||
        key.StartsWith(DeleteFromPrimitiveListPrefix + "/", StringComparison.Ordinal);

    /// <summary>The field a "$prefix/field" key names (apimachinery extractKey).</summary>
    public static string ExtractKey(string key, string prefix, string error)
    {
        var parts = key.Split('/', 2);
        if (parts.Length <= 1 || parts[0] != prefix) throw PatchException.BadRequest(error);
        return parts[1];
    }

    public static string? Directive(JsonNode? node) =>
        node is JsonObject o && o.TryGetPropertyValue(Marker, out var v) && JsonValues.Kind(v) == JsonValueKind.String ? v!.GetValue<string>() : null;

    public static bool HasMarker(JsonNode? node) => node is JsonObject o && o.ContainsKey(Marker);

    public static PatchException NoMergeKey(JsonNode? map, string mergeKey) =>
        PatchException.Internal($"map: {JsonValues.GoFormat(map)} does not contain declared merge key: {mergeKey}");

    public static PatchException BadPatchType(JsonNode? directive, JsonNode? map) =>
        PatchException.Internal($"unknown patch type: {JsonValues.GoFormat(directive)} in map: {JsonValues.GoFormat(map)}");

    /// <summary>
    /// A copy of a patch value taken as is (no original to merge with), as the typed object decoded
    /// from it would hold it: without null members and directives, list elements marked for deletion dropped.
    /// </summary>
    public static JsonNode? Sanitize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (Directive(o) == Delete) return new JsonObject();
                var result = new JsonObject();
                foreach (var (key, value) in o)
                    if (value is not null && !IsDirectiveKey(key)) result[key] = Sanitize(value);
                return result;
            case JsonArray a:
                var array = new JsonArray();
                foreach (var item in a)
                    if (Directive(item) != Delete) array.Add(Sanitize(item));
                return array;
            default:
                return node?.DeepClone();
        }
    }
}
