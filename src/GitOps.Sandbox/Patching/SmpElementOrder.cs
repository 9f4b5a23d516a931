using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Patching;

/// <summary>
/// $setElementOrder/field (apimachinery mergePatchIntoOriginal): merges the field's patch list first,
/// then orders the result by the directive's list, other original elements interleaved.
/// </summary>
internal static class SmpElementOrder
{
    public static void Apply(JsonObject original, JsonObject patch, SchemaNode schema)
    {
        foreach (var (key, order) in patch.ToList())
        {
            if (!key.StartsWith(SmpDirectives.SetElementOrderPrefix, StringComparison.Ordinal)) continue;
            patch.Remove(key);
            if (order is not JsonArray orderArray)
                throw PatchException.Internal($"expected a []interface {{}}, but received a {JsonValues.GoJsonTypeName(order)}");
            var field = SmpDirectives.ExtractKey(key, SmpDirectives.SetElementOrderPrefix, SmpDirectives.BadSetElementOrder);
            var strategy = SmpFieldStrategy.Of(schema, field);
            var orderList = orderArray.Select(JsonValues.Clone).ToList();

            var foundOriginal = original.TryGetPropertyValue(field, out var originalNode);
            var foundPatch = patch.TryGetPropertyValue(field, out var patchNode);
            var originalList = AsList(foundOriginal, originalNode);
            var patchList = AsList(foundPatch, patchNode);
            Validate(patchList, orderList, strategy.MergeKey);

            JsonArray merged;
            if (foundOriginal && foundPatch)
                merged = strategy.IsMerge
                    ? SmpLists.Merge((JsonArray)originalNode!, (JsonArray)patchNode!, strategy, isDeleteList: false)
                    : (JsonArray)SmpDirectives.Sanitize(patchNode)!;
            else if (foundOriginal)
                merged = (JsonArray)originalNode!.DeepClone();
            else if (foundPatch)
                merged = (JsonArray)SmpDirectives.Sanitize(patchNode)!;
            else
                continue;

            var (present, absent) = SmpOrder.Partition(merged.Select(JsonValues.Clone).ToList(), orderList, strategy.MergeKey);
            var kind = SmpOrder.ElementKind(originalList, patchList);
            original[field] = SmpLists.ToArray(SmpOrder.Normalize(present, absent, orderList, originalList, strategy.MergeKey, kind));
            patch.Remove(field);
        }
    }

    private static List<JsonNode?> AsList(bool found, JsonNode? node)
    {
        if (!found) return [];
        if (node is not JsonArray array)
            throw PatchException.Internal($"expected a []interface {{}}, but received a {JsonValues.GoJsonTypeName(node)}");
        return array.Select(JsonValues.Clone).ToList();
    }

    /// <summary>The patch list's non-deleted elements must appear in the directive's list, in the same relative order.</summary>
    private static void Validate(List<JsonNode?> patchList, List<JsonNode?> orderList, string mergeKey)
    {
        if (orderList.Count == 0 || patchList.Count == 0) return;
        var nonDelete = mergeKey.Length > 0
            ? patchList.Where(p => SmpDirectives.Directive(p) != SmpDirectives.Delete).ToList()
            : patchList;
        int p = 0, o = 0;
        while (p < nonDelete.Count && o < orderList.Count)
        {
            if (SmpDirectives.HasMarker(nonDelete[p]))
            {
                p++;
                continue;
            }
            if (KeyEqual(nonDelete[p], orderList[o], mergeKey)) p++;
            o++;
        }
        if (p < nonDelete.Count && o >= orderList.Count)
            throw PatchException.Internal(
                $"The order in patch list:\n{JsonValues.GoFormat(new JsonArray(patchList.Select(JsonValues.Clone).ToArray()))}\n doesn't match {SmpDirectives.SetElementOrderPrefix} list:\n{JsonValues.GoFormat(new JsonArray(orderList.Select(JsonValues.Clone).ToArray()))}\n");
    }

    private static bool KeyEqual(JsonNode? left, JsonNode? right, string mergeKey)
    {
        if (mergeKey.Length == 0) return JsonValues.DeepEquals(left, right);
        if (left is not JsonObject l || !l.TryGetPropertyValue(mergeKey, out var lv)) throw SmpDirectives.NoMergeKey(left, mergeKey);
        if (right is not JsonObject r || !r.TryGetPropertyValue(mergeKey, out var rv)) throw SmpDirectives.NoMergeKey(right, mergeKey);
        return JsonValues.DeepEquals(lv, rv);
    }
}
