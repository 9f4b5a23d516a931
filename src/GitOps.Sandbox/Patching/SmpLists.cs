using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Patching;

/// <summary>Merging lists whose patch strategy is "merge" (apimachinery mergeSlice).</summary>
internal static class SmpLists
{
    /// <summary>
    /// Merges <paramref name="patch"/> into <paramref name="original"/>: maps by merge key (with the
    /// $patch element directives), primitives as a union, or, for a $deleteFromPrimitiveList, by removal.
    /// The result holds the patch's elements in patch order, interleaved with the original's others.
    /// </summary>
    public static JsonArray Merge(JsonArray original, JsonArray patch, SmpFieldStrategy field, bool isDeleteList)
    {
        var orig = original.Select(JsonValues.Clone).ToList();
        var pat = patch.Select(JsonValues.Clone).ToList();
        if (orig.Count == 0 && pat.Count == 0) return [];

        var kind = SmpOrder.ElementKind(orig, pat);
        List<JsonNode?> merged;
        if (kind != SmpOrder.MapKind)
        {
            if (isDeleteList) return ToArray(orig.Where(o => !pat.Any(p => JsonValues.DeepEquals(o, p))));
            merged = [];
            foreach (var item in orig.Concat(pat))
                if (!merged.Any(m => JsonValues.DeepEquals(m, item))) merged.Add(item);
        }
        else
        {
            if (field.MergeKey.Length == 0) throw PatchException.Internal("cannot merge lists without merge key for type struct");
            (orig, pat) = ApplySpecialElements(orig, pat, field.MergeKey);
            merged = MergeByKey(orig, pat, field);
        }

        var (patchItems, serverOnly) = SmpOrder.Partition(merged, pat, field.MergeKey);
        return ToArray(SmpOrder.Normalize(patchItems, serverOnly, pat, orig, field.MergeKey, kind));
    }

    public static JsonArray ToArray(IEnumerable<JsonNode?> items)
    {
        var array = new JsonArray();
        foreach (var item in items) array.Add(item?.Parent is null ? item : item.DeepClone());
        return array;
    }

    /// <summary>Elements carrying $patch: delete removes by key, replace makes the patch the whole list.</summary>
    private static (List<JsonNode?> Original, List<JsonNode?> Patch) ApplySpecialElements(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey)
    {
        var plain = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch)
        {
            var element = (JsonObject)item!;
            if (!element.TryGetPropertyValue(SmpDirectives.Marker, out var directive))
            {
                plain.Add(element);
                continue;
            }
            var name = JsonValues.Kind(directive) == JsonValueKind.String ? directive!.GetValue<string>() : null;
            switch (name)
            {
                case SmpDirectives.Delete:
                    if (!element.TryGetPropertyValue(mergeKey, out var keyValue)) throw SmpDirectives.NoMergeKey(element, mergeKey);
                    while (Find(original, mergeKey, keyValue) is var index and >= 0) original.RemoveAt(index);
                    break;
                case SmpDirectives.Replace:
                    replace = true;
                    break;
                case SmpDirectives.Merge:
                    throw PatchException.Internal("merging lists cannot yet be specified in the patch");
                default:
                    throw SmpDirectives.BadPatchType(directive, element);
            }
        }
        return replace ? (plain.Select(SmpDirectives.Sanitize).ToList(), []) : (original, plain);
    }

    private static List<JsonNode?> MergeByKey(List<JsonNode?> original, List<JsonNode?> patch, SmpFieldStrategy field)
    {
        var merged = new List<JsonNode?>(original);
        foreach (var item in patch)
        {
            var element = (JsonObject)item!;
            if (!element.TryGetPropertyValue(field.MergeKey, out var keyValue)) throw SmpDirectives.NoMergeKey(element, field.MergeKey);
            var index = Find(merged, field.MergeKey, keyValue);
            if (index >= 0)
                merged[index] = SmpMaps.Merge((JsonObject)merged[index]!.DeepClone(), (JsonObject)element.DeepClone(), field.Schema.Element);
            else
                merged.Add(SmpDirectives.Sanitize(element));
        }
        return merged;
    }

    /// <summary>The index of the map whose merge key has this value (apimachinery findMapInSliceBasedOnKeyValue).</summary>
    public static int Find(List<JsonNode?> list, string mergeKey, JsonNode? value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject map) throw PatchException.Internal($"value for key {i} is not a map.");
            if (map.TryGetPropertyValue(mergeKey, out var candidate) && JsonValues.DeepEquals(candidate, value)) return i;
        }
        return -1;
    }
}
