using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>Prints values the way Go's fmt does in field errors (%q, %v of float64, %#v of maps).</summary>
internal static class GoFormat
{
    /// <summary>strconv.Quote.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var r in s.EnumerateRunes())
        {
            switch (r.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (r.Value < 0x20 || r.Value == 0x7f) sb.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
                    else if (Rune.IsControl(r)) sb.Append(r.Value > 0xffff ? "\\U" + r.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + r.Value.ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(r.ToString());
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>%v of a float64 (strconv 'g' with shortest precision: exponent when exp &lt; -4 or &gt;= 6).</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        if (d == 0) return double.IsNegative(d) ? "-0" : "0";
        // Shortest round-trip digits and decimal exponent.
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var neg = d < 0;
        var (digits, exp) = Decompose(r.TrimStart('-'));
        string body;
        if (exp < -4 || exp >= 6)
        {
            var mant = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            var ex = Math.Abs(exp).ToString(CultureInfo.InvariantCulture).PadLeft(2, '0');
            body = $"{mant}e{(exp < 0 ? '-' : '+')}{ex}";
        }
        else if (exp < 0) body = "0." + new string('0', -exp - 1) + digits;
        else if (digits.Length <= exp + 1) body = digits + new string('0', exp + 1 - digits.Length);
        else body = digits[..(exp + 1)] + "." + digits[(exp + 1)..];
        return neg ? "-" + body : body;
    }

    private static (string Digits, int Exp) Decompose(string r)
    {
        var exp = 0;
        var ei = r.IndexOfAny(['E', 'e']);
        if (ei >= 0)
        {
            exp = int.Parse(r[(ei + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ei];
        }
        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? r[..dot] : r;
        var frac = dot >= 0 ? r[(dot + 1)..] : "";
        var all = (intPart + frac).TrimStart('0');
        var lead = (intPart + frac).Length - all.Length;
        exp += intPart.Length - 1 - lead;
        all = all.TrimEnd('0');
        return (all.Length == 0 ? "0" : all, exp);
    }

    /// <summary>%#v of a map[string]string (keys sorted, as fmt prints maps).</summary>
    public static string StringMap(JsonObject? map)
    {
        if (map is null) return "map[string]string(nil)";
        var parts = map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Quote(p.Key)}:{Quote(p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "")}");
        return "map[string]string{" + string.Join(", ", parts) + "}";
    }

    /// <summary>How a field error prints a value decoded from JSON into interface{} (unstructured).</summary>
    public static string Value(JsonNode? node)
    {
        switch (node)
        {
            case null: return "null";
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: return Quote(v.GetValue<string>());
                    case JsonValueKind.True: return "true";
                    case JsonValueKind.False: return "false";
                    case JsonValueKind.Number:
                        if (Json.AsLong(v) is { } l) return l.ToString(CultureInfo.InvariantCulture);
                        return Float(v.GetValue<double>());
                }
                return v.ToJsonString();
            case JsonObject o: return "map[string]interface {}{" + string.Join(", ", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Quote(p.Key)}:{Inner(p.Value)}")) + "}";
            case JsonArray a: return "[]interface {}{" + string.Join(", ", a.Select(Inner)) + "}";
        }
        return node.ToJsonString();
    }

    /// <summary>
    /// %v (and %+v) of a value decoded into interface{}: <c>map[a:1 b:[x y]]</c> with keys sorted,
    /// strings bare, <c>&lt;nil&gt;</c> for null, integers as int64 and other numbers as float64.
    /// </summary>
    public static string Plain(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonObject o => "map[" + string.Join(" ", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Plain(p.Value)}")) + "]",
        JsonArray a => "[" + string.Join(" ", a.Select(Plain)) + "]",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => Json.AsLong(v) is { } l ? l.ToString(CultureInfo.InvariantCulture) : Float(v.GetValue<double>()),
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string Inner(JsonNode? node) => node switch
    {
        null => "interface {}(nil)",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && Json.AsLong(v) is { } l => $"{l}",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => $"{Float(v.GetValue<double>())}",
        _ => Value(node),
    };
}
