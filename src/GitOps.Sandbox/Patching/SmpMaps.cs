using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Patching;

/// <summary>Merging a strategic merge patch map into an original map (apimachinery mergeMap).</summary>
internal static class SmpMaps
{
    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/>; both are owned and mutated.</summary>
    public static JsonObject Merge(JsonObject original, JsonObject patch, SchemaNode schema)
    {
        if (patch.TryGetPropertyValue(SmpDirectives.Marker, out var directive))
        {
            var name = JsonValues.Kind(directive) == JsonValueKind.String ? directive!.GetValue<string>() : null;
            if (name == SmpDirectives.Replace)
            {
                patch.Remove(SmpDirectives.Marker);
                return (JsonObject)SmpDirectives.Sanitize(patch)!;
            }
            if (name == SmpDirectives.Delete) return new JsonObject();
            throw SmpDirectives.BadPatchType(directive, patch);
        }

        ApplyRetainKeys(original, patch);
        SmpElementOrder.Apply(original, patch, schema);

        foreach (var (patchKey, patchValue) in patch.ToList())
        {
            var key = patchKey;
            var isDeleteList = false;
            if (patchKey.StartsWith(SmpDirectives.DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                key = SmpDirectives.ExtractKey(patchKey, SmpDirectives.DeleteFromPrimitiveListPrefix, SmpDirectives.BadPrimitiveList);
                isDeleteList = true;
            }

            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }
            if (!original.TryGetPropertyValue(key, out var current))
            {
                if (!isDeleteList) original[key] = SmpDirectives.Sanitize(patchValue);
                continue;
            }
            original[key] = MergeValue(current, patchValue, SmpFieldStrategy.Of(schema, key), isDeleteList);
        }
        return original;
    }

    private static JsonNode? MergeValue(JsonNode? current, JsonNode patchValue, SmpFieldStrategy field, bool isDeleteList)
    {
        switch (current, patchValue)
        {
            case (JsonObject currentMap, JsonObject patchMap):
                if (field.Strategy == SmpDirectives.Replace) return SmpDirectives.Sanitize(patchMap);
                return Merge((JsonObject)currentMap.DeepClone(), patchMap, field.Schema);
            case (JsonArray currentList, JsonArray patchList):
                if (!field.IsMerge) return SmpDirectives.Sanitize(patchList);
                return SmpLists.Merge(currentList, patchList, field, isDeleteList);
            default:
                return SmpDirectives.Sanitize(patchValue);
        }
    }

    /// <summary>$retainKeys: keeps only the listed fields of the original; every patched field must be listed.</summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(SmpDirectives.RetainKeys, out var retain)) return;
        patch.Remove(SmpDirectives.RetainKeys);
        if (retain is not JsonArray list) throw PatchException.BadRequest(SmpDirectives.BadRetainKeys);

        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
            if (JsonValues.Kind(item) == JsonValueKind.String) keep.Add(item!.GetValue<string>());

        foreach (var (key, value) in patch)
        {
            if (value is null ||
                key.StartsWith(SmpDirectives.DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) ||
                key.StartsWith(SmpDirectives.SetElementOrderPrefix, StringComparison.Ordinal))
                continue;
            if (!keep.Contains(key)) throw PatchException.BadRequest(SmpDirectives.BadRetainKeys);
        }

        foreach (var key in original.Select(p => p.Key).ToList())
            if (!keep.Contains(key)) original.Remove(key);
    }
}
