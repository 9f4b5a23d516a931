using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// structured-merge-diff's PathElement order, which is the order of keys in the FieldsV1 the
/// apiserver writes: fields by name, then keys, then values, then indexes.
/// </summary>
internal sealed class PathElementComparer : IComparer<PathElement>
{
    public static PathElementComparer Instance { get; } = new();

    public int Compare(PathElement x, PathElement y)
    {
        if (x.Kind != y.Kind) return x.Kind.CompareTo(y.Kind);
        return x.Kind switch
        {
            PathElementKind.Field => string.CompareOrdinal(x.FieldName, y.FieldName),
            PathElementKind.Key => CompareKeys(x.KeyFields, y.KeyFields),
            PathElementKind.Value => CompareValues(x.ElementValue, y.ElementValue),
            _ => int.Parse(x.Token[2..]).CompareTo(int.Parse(y.Token[2..])),
        };
    }

    private static int CompareKeys(JsonObject x, JsonObject y)
    {
        if (x.Count != y.Count) return x.Count.CompareTo(y.Count);
        using var xs = x.GetEnumerator();
        using var ys = y.GetEnumerator();
        while (xs.MoveNext() && ys.MoveNext())
        {
            var c = string.CompareOrdinal(xs.Current.Key, ys.Current.Key);
            if (c != 0) return c;
            c = CompareValues(xs.Current.Value, ys.Current.Value);
            if (c != 0) return c;
        }
        return 0;
    }

    internal static int CompareValues(JsonNode? x, JsonNode? y)
    {
        int rx = Rank(x), ry = Rank(y);
        if (rx != ry) return rx.CompareTo(ry);
        return rx switch
        {
            0 => 0,
            1 => ((JsonValue)x!).GetValue<double>().CompareTo(((JsonValue)y!).GetValue<double>()),
            2 => string.CompareOrdinal(x!.GetValue<string>(), y!.GetValue<string>()),
            3 => x!.GetValue<bool>().CompareTo(y!.GetValue<bool>()),
            _ => string.CompareOrdinal(PathElement.Json(x), PathElement.Json(y)),
        };
    }

    private static int Rank(JsonNode? v) => v switch
    {
        null => 0,
        JsonValue jv => jv.GetValueKind() switch
        {
            JsonValueKind.Number => 1,
            JsonValueKind.String => 2,
            JsonValueKind.True or JsonValueKind.False => 3,
            _ => 0,
        },
        JsonArray => 4,
        _ => 5,
    };
}
