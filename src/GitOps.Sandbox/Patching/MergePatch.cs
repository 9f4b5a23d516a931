using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Patching;

/// <summary>
/// RFC 7386 JSON Merge Patch (application/merge-patch+json), as evanphx/json-patch MergePatch does it
/// for kube-apiserver: null deletes a member, objects merge recursively, anything else replaces, and a
/// value put where no object was merged has its null members pruned.
/// </summary>
public static class MergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="target"/> (RFC 7386 semantics).
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return Pruned(patch);
        var result = target is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject();
        MergeInto(result, patchObject);
        return result;
    }

    /// <summary>
    /// Applies a merge patch request body to a stored object the way kube-apiserver does: a null or
    /// scalar patch is refused with 400 "Invalid JSON Patch"; an array patch replaces the document.
    /// </summary>
    public static JsonNode? ApplyToObject(JsonObject target, JsonNode? patch)
    {
        if (patch is null or JsonValue) throw PatchException.BadRequest("Invalid JSON Patch");
        return Apply(target, patch);
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            if (!target.TryGetPropertyValue(key, out var current) || current is null)
            {
                target[key] = Pruned(value);
                continue;
            }
            if (current is not JsonObject currentObject)
            {
                target[key] = Pruned(value);
                continue;
            }
            if (value is JsonObject valueObject)
                MergeInto(currentObject, valueObject);
            else
                target[key] = value.DeepClone();
        }
    }

    /// <summary>A copy without null object members (array elements that are null stay).</summary>
    private static JsonNode? Pruned(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o)
                    if (value is not null) result[key] = Pruned(value);
                return result;
            case JsonArray a:
                var array = new JsonArray();
                foreach (var item in a) array.Add(Pruned(item));
                return array;
            default:
                return node?.DeepClone();
        }
    }
}
