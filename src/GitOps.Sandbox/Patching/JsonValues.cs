using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Patching;

/// <summary>Helpers on JSON values: equality as Go sees decoded values, and Go's %v formatting.</summary>
internal static class JsonValues
{
    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Deep equality; numbers compare by value (1 equals 1.0), objects ignore member order.</summary>
    public static bool DeepEquals(JsonNode? left, JsonNode? right)
    {
        var kind = Kind(left);
        if (kind is JsonValueKind.True or JsonValueKind.False) return kind == Kind(right);
        if (kind != Kind(right)) return false;
        switch (kind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                return left!.GetValue<string>() == right!.GetValue<string>();
            case JsonValueKind.Number:
                return NumberEquals(left!, right!);
            case JsonValueKind.Array:
                var la = left!.AsArray();
                var ra = right!.AsArray();
                if (la.Count != ra.Count) return false;
                for (var i = 0; i < la.Count; i++)
                    if (!DeepEquals(la[i], ra[i])) return false;
                return true;
            case JsonValueKind.Object:
                var lo = left!.AsObject();
                var ro = right!.AsObject();
                if (lo.Count != ro.Count) return false;
                foreach (var (key, value) in lo)
                    if (!ro.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other)) return false;
                return true;
            default:
                return false;
        }
    }

    private static bool NumberEquals(JsonNode left, JsonNode right)
    {
        var l = left.ToJsonString();
        var r = right.ToJsonString();
        if (l == r) return true;
        if (decimal.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var ld) &&
            decimal.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rd))
            return ld == rd;
        return double.Parse(l, CultureInfo.InvariantCulture) == double.Parse(r, CultureInfo.InvariantCulture);
    }

    /// <summary>The Go type name json.Unmarshal reports for a value ("object", "array", "string", "number", "bool").</summary>
    public static string GoJsonTypeName(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    /// <summary>A decoded JSON value printed as Go's fmt %v prints it (maps with sorted keys).</summary>
    public static string GoFormat(JsonNode? node)
    {
        var sb = new StringBuilder();
        AppendGo(sb, node);
        return sb.ToString();
    }

    private static void AppendGo(StringBuilder sb, JsonNode? node)
    {
        switch (Kind(node))
        {
            case JsonValueKind.Null:
                sb.Append("<nil>");
                break;
            case JsonValueKind.String:
                sb.Append(node!.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                sb.Append(node!.ToJsonString());
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in node!.AsArray())
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    AppendGo(sb, item);
                }
                sb.Append(']');
                break;
            case JsonValueKind.Object:
                sb.Append("map[");
                var firstKey = true;
                foreach (var (key, value) in node!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!firstKey) sb.Append(' ');
                    firstKey = false;
                    sb.Append(key).Append(':');
                    AppendGo(sb, value);
                }
                sb.Append(']');
                break;
        }
    }
}
