using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// YAML the way SOPS's YAML store reads it: every document a mapping (one tree branch each), keys in
/// order, plain scalars resolved as go-yaml v3 does into untyped values (YAML 1.2 bools and nulls,
/// ints with 0x/0o/0b prefixes, floats; timestamps stay strings). Comments are not kept. Writes
/// block-style YAML that SOPS and kubectl read back to the same values.
/// </summary>
internal static partial class SopsYaml
{
    public static IReadOnlyList<JsonObject> Load(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new SopsException($"is not valid YAML (line {e.Start.Line})");
        }
        var branches = new List<JsonObject>();
        foreach (var doc in stream.Documents)
        {
            switch (doc.RootNode)
            {
                case YamlMappingNode map:
                    branches.Add((JsonObject)Convert(map, 0)!);
                    break;
                case YamlScalarNode s when s.Style == ScalarStyle.Plain && (s.Value ?? "") is "" or "~" or "null":
                    branches.Add([]);
                    break;
                default:
                    throw new SopsException("has a YAML document that is not a mapping");
            }
        }
        return branches;
    }

    private static JsonNode? Convert(YamlNode node, int depth)
    {
        if (depth > 100) throw new SopsException("nests too deeply");
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? throw new SopsException("has a mapping key that is not a scalar");
                    if (obj.ContainsKey(key)) throw new SopsException($"has the key \"{key}\" twice in one mapping");
                    obj[key] = Convert(v, depth + 1);
                }
                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children) array.Add(Convert(item, depth + 1));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new SopsException($"holds a YAML node of kind {node.NodeType}");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        return tag switch
        {
            "tag:yaml.org,2002:str" or "tag:yaml.org,2002:binary" or "tag:yaml.org,2002:timestamp" => JsonValue.Create(value),
            "tag:yaml.org,2002:null" => null,
            "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" => Resolve(value) ?? JsonValue.Create(value),
            "" when scalar.Style == ScalarStyle.Plain => Resolve(value),
            _ => JsonValue.Create(value),
        };
    }

    /// <summary>An untagged plain scalar as go-yaml v3 resolves it into an untyped value.</summary>
    internal static JsonNode? Resolve(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return JsonValue.Create(double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF": return JsonValue.Create(double.NegativeInfinity);
            case ".nan" or ".NaN" or ".NAN": return JsonValue.Create(double.NaN);
        }
        if (value[0] is not ((>= '0' and <= '9') or '+' or '-' or '.')) return JsonValue.Create(value);
        var plain = value.Replace("_", "", StringComparison.Ordinal);
        if (GoInteger(plain) is { } l) return JsonValue.Create(l);
        if (YamlFloat().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(value);
    }

    /// <summary>Go's strconv.ParseInt(s, 0, 64): optional sign, then 0x / 0o / 0b / leading-0 octal or decimal.</summary>
    private static long? GoInteger(string s)
    {
        var negative = s.StartsWith('-');
        var body = s.StartsWith('-') || s.StartsWith('+') ? s[1..] : s;
        if (body.Length == 0) return null;
        var (radix, digits) = body.Length > 1 && body[0] == '0'
            ? char.ToLowerInvariant(body[1]) switch { 'x' => (16, body[2..]), 'o' => (8, body[2..]), 'b' => (2, body[2..]), _ => (8, body[1..]) }
            : (10, body);
        if (digits.Length == 0 || !digits.All(c => Uri.IsHexDigit(c) && System.Convert.ToInt32(c.ToString(), 16) < radix)) return null;
        try
        {
            var magnitude = radix == 10 ? ulong.Parse(digits, CultureInfo.InvariantCulture) : System.Convert.ToUInt64(digits, radix);
            if (negative) return magnitude <= (ulong)long.MaxValue + 1 ? (long)(0 - magnitude) : null;
            return magnitude <= long.MaxValue ? (long)magnitude : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();

    public static string Emit(IReadOnlyList<JsonObject> branches)
    {
        var text = new StringBuilder();
        for (var i = 0; i < branches.Count; i++)
        {
            if (i > 0) text.Append("---\n");
            if (branches[i].Count == 0) text.Append("{}\n");
            else EmitMapping(branches[i], 0, text);
        }
        return text.ToString();
    }

    private const int Indent = 4;

    private static void EmitMapping(JsonObject obj, int indent, StringBuilder text)
    {
        foreach (var (key, value) in obj)
        {
            text.Append(' ', indent).Append(Key(key)).Append(':');
            EmitValue(value, indent, text);
        }
    }

    private static void EmitValue(JsonNode? value, int indent, StringBuilder text)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                text.Append('\n');
                EmitMapping(o, indent + Indent, text);
                break;
            case JsonArray a when a.Count > 0:
                text.Append('\n');
                EmitSequence(a, indent + Indent, text);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void EmitSequence(JsonArray array, int indent, StringBuilder text)
    {
        foreach (var item in array)
        {
            switch (item)
            {
                case JsonObject o when o.Count > 0:
                    var start = text.Length;
                    EmitMapping(o, indent + 2, text);
                    text.Remove(start, indent + 2).Insert(start, new string(' ', indent) + "- ");
                    break;
                case JsonArray a when a.Count > 0:
                    text.Append(' ', indent).Append("-\n");
                    EmitSequence(a, indent + 2, text);
                    break;
                default:
                    text.Append(' ', indent).Append("- ").Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Key(string key) => IsSafePlain(key) ? key : Quote(key);

    private static string Scalar(JsonNode? node)
    {
        switch (node)
        {
            case null: return "null";
            case JsonObject: return "{}";
            case JsonArray: return "[]";
        }
        var value = (JsonValue)node;
        if (value.TryGetValue<string>(out var s)) return IsSafePlain(s) || SopsCipher.IsEncrypted(s) && !s.Contains('\n') ? s : Quote(s);
        if (value.TryGetValue<bool>(out var b)) return b ? "true" : "false";
        if (value.TryGetValue<long>(out var l)) return l.ToString(CultureInfo.InvariantCulture);
        if (value.TryGetValue<double>(out var d))
        {
            if (double.IsNaN(d)) return ".nan";
            if (double.IsInfinity(d)) return d > 0 ? ".inf" : "-.inf";
            var r = d.ToString("R", CultureInfo.InvariantCulture);
            return r.IndexOfAny(['.', 'E', 'e']) < 0 ? r + ".0" : r;
        }
        return Quote(value.ToJsonString());
    }

    private static readonly HashSet<string> s_yaml11Words = new(StringComparer.OrdinalIgnoreCase) { "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~" };

    private static bool IsSafePlain(string s) =>
        s.Length > 0 && SafePlain().IsMatch(s) && !s_yaml11Words.Contains(s) && Resolve(s) is JsonValue v && v.TryGetValue<string>(out _)
        && !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal) && !char.IsAsciiDigit(s[0]);

    [GeneratedRegex(@"^[A-Za-z_./][A-Za-z0-9_./=+@ -]*[A-Za-z0-9_./=+@-]$|^[A-Za-z_]$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePlain();

    /// <summary>A YAML double-quoted scalar: backslash, quote and control characters escaped, the rest as is.</summary>
    internal static string Quote(string s)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }
}
