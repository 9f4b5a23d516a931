using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Patching;

/// <summary>
/// The element order of a merged list (apimachinery normalizeElementOrder): patch elements keep the
/// patch's (or $setElementOrder's) order, the original's other elements keep theirs, and the two are
/// interleaved, an original element going first only when both are in the original and it came first.
/// </summary>
internal static class SmpOrder
{
    public const string MapKind = "map";

    /// <summary>The Go type of the elements of the lists; all must agree and none be a list.</summary>
    public static string ElementKind(List<JsonNode?> first, List<JsonNode?> second)
    {
        string? previous = null;
        foreach (var item in first.Concat(second))
        {
            var kind = GoType(item);
            if (previous is null)
            {
                if (kind == "slice") throw PatchException.Rejected(SmpDirectives.NoListOfLists);
                previous = kind;
            }
            else if (previous != kind)
            {
                throw PatchException.Internal(
                    $"list element types are not identical: [{JsonValues.GoFormat(new JsonArray(first.Select(JsonValues.Clone).ToArray()))} {JsonValues.GoFormat(new JsonArray(second.Select(JsonValues.Clone).ToArray()))}]");
            }
        }
        return previous ?? throw PatchException.Internal("no elements in any of the given slices");
    }

    private static string GoType(JsonNode? node) => JsonValues.Kind(node) switch
    {
        JsonValueKind.Object => MapKind,
        JsonValueKind.Array => "slice",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number => node!.ToJsonString().IndexOfAny(['.', 'e', 'E']) >= 0 ? "float64" : "int64",
        _ => "nil",
    };

    /// <summary>Splits <paramref name="items"/> into those present in <paramref name="by"/> and the others.</summary>
    public static (List<JsonNode?> Present, List<JsonNode?> Absent) Partition(List<JsonNode?> items, List<JsonNode?> by, string mergeKey)
    {
        var present = new List<JsonNode?>();
        var absent = new List<JsonNode?>();
        foreach (var item in items)
        {
            bool found;
            if (mergeKey.Length == 0)
            {
                found = by.Any(b => JsonValues.DeepEquals(b, item));
            }
            else
            {
                if (item is not JsonObject map) throw PatchException.Internal($"expected a map[string]interface {{}}, but received a {JsonValues.GoJsonTypeName(item)}");
                if (!map.TryGetPropertyValue(mergeKey, out var keyValue)) throw SmpDirectives.NoMergeKey(map, mergeKey);
                found = SmpLists.Find(by, mergeKey, keyValue) >= 0;
            }
            (found ? present : absent).Add(item);
        }
        return (present, absent);
    }

    public static List<JsonNode?> Normalize(List<JsonNode?> patchItems, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string mergeKey, string kind)
    {
        var patch = SortBy(patchItems, patchOrder, mergeKey, kind);
        var server = SortBy(serverOnly, serverOrder, mergeKey, kind);
        return Interleave(server, patch, serverOrder, mergeKey, kind);
    }

    private static List<JsonNode?> SortBy(List<JsonNode?> items, List<JsonNode?> order, string mergeKey, string kind)
    {
        var toDelete = new List<JsonNode?>();
        if (kind == MapKind)
        {
            foreach (var item in items.Concat(order))
                if (item is not JsonObject map || !map.ContainsKey(mergeKey)) throw SmpDirectives.NoMergeKey(item, mergeKey);
            toDelete = items.Where(i => SmpDirectives.Directive(i) == SmpDirectives.Delete).ToList();
            items = items.Where(i => SmpDirectives.Directive(i) != SmpDirectives.Delete).ToList();
        }
        return items.OrderBy(i => Index(order, i, mergeKey, kind)).Concat(toDelete).ToList();
    }

    /// <summary>Inserts the (sorted) original-only items among the (sorted) patch items.</summary>
    private static List<JsonNode?> Interleave(List<JsonNode?> left, List<JsonNode?> right, List<JsonNode?> serverOrder, string mergeKey, string kind)
    {
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (i >= left.Count) result.Add(right[j++]);
            else if (j >= right.Count) result.Add(left[i++]);
            else
            {
                var li = Index(serverOrder, left[i], mergeKey, kind);
                var ri = Index(serverOrder, right[j], mergeKey, kind);
                if (li >= 0 && ri >= 0 && li < ri) result.Add(left[i++]);
                else result.Add(right[j++]);
            }
        }
        return result;
    }

    private static int Index(List<JsonNode?> list, JsonNode? item, string mergeKey, string kind)
    {
        var value = Value(item, mergeKey, kind);
        for (var i = 0; i < list.Count; i++)
            if (JsonValues.DeepEquals(Value(list[i], mergeKey, kind), value)) return i;
        return -1;
    }

    private static JsonNode? Value(JsonNode? item, string mergeKey, string kind) =>
        kind == MapKind ? (item as JsonObject)?[mergeKey] : item;
}
