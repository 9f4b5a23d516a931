using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GitOps.Engine.Model;

/// <summary>
/// Reads multi-document YAML (or JSON) text into manifests, the way <c>kubectl</c> does: scalars
/// resolve as sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) resolves them, <c>kind: *List</c> objects are
/// expanded into their items and empty documents are skipped.
/// </summary>
public static class ManifestReader
{
    /// <summary>Reads every object in <paramref name="text"/>; throws <see cref="ManifestException"/> with the line of the first problem.</summary>
    public static IReadOnlyList<Manifest> Read(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            return ReadJson(text, sourceName);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new MergingParser(new Parser(new StringReader(text))));
        }
        catch (AnchorNotFoundException e) when (AliasName(e) is { } alias)
        {
            // YamlDotNet reports it at the document's start: name the line of the alias instead.
            throw new ManifestException(sourceName, LineOf(text, "*" + alias), $"alias *{alias} refers to no anchor &{alias} before it");
        }
        catch (YamlException e)
        {
            throw new ManifestException(sourceName, (int)e.Start.Line, Flatten(e));
        }
        catch (Exception e) when (IsParserFault(e))
        {
            // YamlDotNet throws more than YamlException on some broken input (a merge key to an unknown anchor, ...).
            throw new ManifestException(sourceName, 0, e is KeyNotFoundException
                ? "is not valid YAML: a merge key (<<: *name) refers to an anchor not defined before it"
                : $"is not valid YAML: {e.Message}");
        }

        var result = new List<Manifest>();
        foreach (var doc in stream.Documents)
        {
            var root = doc.RootNode;
            if (root is YamlScalarNode s && IsNull(s)) continue;
            var line = (int)root.Start.Line;
            JsonNode? node;
            try
            {
                node = root is YamlMappingNode
                    ? Convert(root, sourceName, new Budget(), 0)
                    : throw new ManifestException(sourceName, line, $"a document must be an object, found {Describe(root)}");
            }
            catch (Exception e) when (IsParserFault(e))
            {
                throw new ManifestException(sourceName, line, $"cannot read this document: {e.Message}");
            }
            AddObject((JsonObject)node!, sourceName, line, result);
        }

        return result;
    }

    private static List<Manifest> ReadJson(string text, string sourceName)
    {
        JsonNode? node;
        try
        {
            node = StrictJson.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ManifestException(sourceName, (int)(e.LineNumber ?? -1) + 1, e.Message);
        }

        var result = new List<Manifest>();
        switch (node)
        {
            case JsonObject o:
                AddObject(o, sourceName, 1, result);
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    AddObject(item as JsonObject ?? throw new ManifestException(sourceName, 1, "an array item is not an object"), sourceName, 1, result);
                }

                break;
            default:
                throw new ManifestException(sourceName, 1, "the JSON document is not an object");
        }

        return result;
    }

    private static void AddObject(JsonObject obj, string sourceName, int line, List<Manifest> into)
    {
        var kind = Json.GetString(obj, "kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not JsonObject item)
                {
                    throw new ManifestException(sourceName, line, $"{kind} item {i} is not an object");
                }

                AddObject(item, sourceName, line, into);
            }

            return;
        }

        var missing = new List<string>();
        if (string.IsNullOrEmpty(Json.GetString(obj, "apiVersion"))) missing.Add("apiVersion");
        if (string.IsNullOrEmpty(kind)) missing.Add("kind");
        // A hook may have a generateName instead (a new object for each sync).
        if (string.IsNullOrEmpty(Json.GetString(obj, ["metadata", "name"])) && string.IsNullOrEmpty(Json.GetString(obj, ["metadata", "generateName"]))) missing.Add("metadata.name");
        if (missing.Count > 0)
        {
            var what = kind is null ? "object" : $"{kind} object";
            throw new ManifestException(sourceName, line, $"{what} is missing {string.Join(", ", missing)}");
        }

        into.Add(Manifest.From(obj));
    }

    /// <summary>Caps on what one document may expand to: aliases can make a small file a huge object (a "billion laughs").</summary>
    public const int MaxNodes = 1_000_000;
    public const int MaxDepth = 512;

    private sealed class Budget
    {
        public int Nodes;
    }

    private static JsonNode? Convert(YamlNode node, string sourceName, Budget budget, int depth)
    {
        if (++budget.Nodes > MaxNodes)
            throw new ManifestException(sourceName, (int)node.Start.Line, $"the document expands to more than {MaxNodes:N0} values (aliases repeating aliases?); refused");
        if (depth > MaxDepth)
            throw new ManifestException(sourceName, (int)node.Start.Line, $"the document nests deeper than {MaxDepth} levels; refused");
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode ks ? KeyText(ks, sourceName) : throw new ManifestException(sourceName, (int)k.Start.Line, "a mapping key must be a scalar");
                    if (obj.ContainsKey(key))
                    {
                        throw new ManifestException(sourceName, (int)k.Start.Line, $"duplicate key '{key}'");
                    }

                    obj[key] = Convert(v, sourceName, budget, depth + 1);
                }

                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children) arr.Add(Convert(item, sourceName, budget, depth + 1));
                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar, sourceName);
            default:
                throw new ManifestException(sourceName, (int)node.Start.Line, $"unsupported YAML node {node.NodeType}");
        }
    }

    /// <summary>
    /// A mapping key as sigs.k8s.io/yaml spells it: keys resolve like values, then bools and numbers
    /// are printed back (a plain <c>on:</c> key becomes <c>"true"</c>, <c>0x10:</c> becomes <c>"16"</c>).
    /// </summary>
    private static string KeyText(YamlScalarNode key, string sourceName) => Scalar(key, sourceName) switch
    {
        null => key.Value ?? "",
        JsonValue v when v.GetValueKind() is JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        var other => other.ToJsonString(),
    };

    private static readonly HashSet<string> s_true = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> s_false = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly HashSet<string> s_null = ["", "~", "null", "Null", "NULL"];

    /// <summary>YAML 1.1 resolution of a scalar, as go-yaml v2 does it; quoted scalars stay strings.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar, string sourceName)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str":
                return JsonValue.Create(value);
            case "tag:yaml.org,2002:null":
                return null;
            case "tag:yaml.org,2002:bool":
                return s_true.Contains(value) ? JsonValue.Create(true)
                    : s_false.Contains(value) ? JsonValue.Create(false)
                    : throw new ManifestException(sourceName, (int)scalar.Start.Line, $"'{value}' is not a bool");
            case "tag:yaml.org,2002:int":
            case "tag:yaml.org,2002:float":
                return Number(value) ?? throw new ManifestException(sourceName, (int)scalar.Start.Line, $"'{value}' is not a number");
            case "" or "!":
                break;
            case "tag:yaml.org,2002:binary":
                return JsonValue.Create(value);
            default:
                throw new ManifestException(sourceName, (int)scalar.Start.Line, $"unsupported tag {tag}");
        }

        if (scalar.Style is not ScalarStyle.Plain || tag == "!") return JsonValue.Create(value);
        if (s_null.Contains(value)) return null;
        if (s_true.Contains(value)) return JsonValue.Create(true);
        if (s_false.Contains(value)) return JsonValue.Create(false);
        return Number(value) ?? JsonValue.Create(value);
    }

    /// <summary>Ints (decimal, 0x, 0b, leading-0 octal, with _ separators), then floats; null when not a number.</summary>
    private static JsonNode? Number(string raw)
    {
        if (raw.Length == 0) return null;
        var s = raw.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        var body = s.TrimStart('+', '-');
        if (body.Length == 0 || s.Length - body.Length > 1) return null;

        if (body.StartsWith("0x", StringComparison.Ordinal) || body.StartsWith("0b", StringComparison.Ordinal) || (body.Length > 1 && body[0] == '0' && body.All(char.IsAsciiDigit)))
        {
            var (radix, digits) = body[1] switch { 'x' => (16, body[2..]), 'b' => (2, body[2..]), _ => (8, body[1..]) };
            if (digits.Length == 0) return null;
            try
            {
                var v = System.Convert.ToInt64(digits, radix);
                return JsonValue.Create(negative ? -v : v);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                return null;
            }
        }

        if (body.All(char.IsAsciiDigit))
        {
            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
            if (!negative && ulong.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var u)) return JsonValue.Create(u);
            return JsonValue.Create(double.Parse(s, CultureInfo.InvariantCulture));
        }

        switch (body)
        {
            case ".inf" or ".Inf" or ".INF":
            case ".nan" or ".NaN" or ".NAN":
                // JSON has no infinity or NaN; sigs.k8s.io/yaml fails on them too, so keep the text.
                return JsonValue.Create(raw);
        }

        if (IsYamlFloat(body) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return JsonValue.Create(d);
        }

        return null;
    }

    // go-yaml v2: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
    private static bool IsYamlFloat(string body)
    {
        var i = 0;
        var mantissaDigits = 0;
        while (i < body.Length && char.IsAsciiDigit(body[i])) { i++; mantissaDigits++; }
        if (i < body.Length && body[i] == '.')
        {
            i++;
            var frac = 0;
            while (i < body.Length && char.IsAsciiDigit(body[i])) { i++; frac++; }
            if (mantissaDigits == 0 && frac == 0) return false;
            mantissaDigits += frac;
        }

        if (mantissaDigits == 0) return false;
        if (i < body.Length && body[i] is 'e' or 'E')
        {
            i++;
            if (i < body.Length && body[i] is '+' or '-') i++;
            var exp = 0;
            while (i < body.Length && char.IsAsciiDigit(body[i])) { i++; exp++; }
            if (exp == 0) return false;
        }

        return i == body.Length;
    }

    private static bool IsNull(YamlScalarNode s) => s.Style == ScalarStyle.Plain && s_null.Contains(s.Value ?? "") && s.Tag.IsEmpty;

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"the scalar '{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    /// <summary>Exceptions a YAML library throws on bad input besides its own (never a fault of ours to hide).</summary>
    public static bool IsParserFault(Exception e) =>
        e is InvalidOperationException or KeyNotFoundException or InvalidCastException or ArgumentException or FormatException or NotSupportedException or OverflowException;

    private static string? AliasName(AnchorNotFoundException e)
    {
        var m = System.Text.RegularExpressions.Regex.Match(e.Message, "anchor '([^']+)'");
        return m.Success ? m.Groups[1].Value : null;
    }

    private static int LineOf(string text, string part)
    {
        var at = text.IndexOf(part, StringComparison.Ordinal);
        return at < 0 ? 0 : text.AsSpan(0, at).Count('\n') + 1;
    }

    private static string Flatten(YamlException e)
    {
        var msg = e.InnerException is YamlException inner && inner.Message != e.Message ? inner.Message : e.Message;
        // YamlDotNet prefixes "(Line: x, Col: y, Idx: z) - (…): "; the location is carried separately.
        var cut = msg.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? msg[(cut + 3)..] : msg;
    }
}
