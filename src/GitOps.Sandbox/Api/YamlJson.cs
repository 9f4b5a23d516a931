using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Sandbox.Api;

/// <summary>
/// YAML to JSON the way sigs.k8s.io/yaml does it (go-yaml's YAML 1.1 scalar resolution):
/// plain scalars become null, booleans, integers or floats; quoted scalars stay strings. Of a
/// duplicated mapping key the last value wins, as go-yaml's non-strict Unmarshal keeps it; its
/// strict mode's complaints are returned by <see cref="Duplicates"/>.
/// </summary>
public static partial class YamlJson
{
    /// <summary>The first document of <paramref name="text"/> (null when there is none).</summary>
    public static JsonNode? Parse(string text) => Read(text, []);

    /// <summary>The first document and its duplicated mapping keys (<see cref="Duplicates"/>), from one read.</summary>
    public static (JsonNode? Node, IReadOnlyList<string> Duplicates) ParseWithDuplicates(string text)
    {
        var duplicates = new List<string>();
        return (Read(text, duplicates), duplicates);
    }

    /// <summary>
    /// Each duplicated mapping key as go-yaml's strict mode reports it:
    /// <c>line 10: key "paused" already set in map</c> (the line of the repeated key).
    /// </summary>
    public static IReadOnlyList<string> Duplicates(string text)
    {
        var duplicates = new List<string>();
        Read(text, duplicates);
        return duplicates;
    }

    private static JsonNode? Read(string text, List<string> duplicates)
    {
        if (JsonAsYaml.TryRead(text, out var json)) return json;
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _)) return null;
        return ReadNode(parser, new Dictionary<string, JsonNode?>(StringComparer.Ordinal), duplicates);
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors, List<string> duplicates)
    {
        JsonNode? node;
        AnchorName anchor;
        if (parser.TryConsume<AnchorAlias>(out var alias))
            return anchors.TryGetValue(alias.Value.Value, out var target) ? target?.DeepClone() : throw new FormatException($"unknown anchor '{alias.Value}' referenced");
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = Scalar(scalar);
            anchor = scalar.Anchor;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _)) array.Add(ReadNode(parser, anchors, duplicates));
            node = array;
            anchor = sequence.Anchor;
        }
        else
        {
            var mapping = parser.Consume<MappingStart>();
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.TryConsume<Scalar>(out var k) ? k : throw new FormatException("a mapping key must be a scalar");
                if (obj.ContainsKey(key.Value)) duplicates.Add($"line {key.Start.Line}: key {Admission.GoFormat.Quote(key.Value)} already set in map");
                obj[key.Value] = ReadNode(parser, anchors, duplicates);
            }
            node = obj;
            anchor = mapping.Anchor;
        }
        if (!anchor.IsEmpty) anchors[anchor.Value] = node?.DeepClone();
        return node;
    }

    private static JsonNode? Scalar(Scalar scalar)
    {
        var v = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any)) return JsonValue.Create(v);
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str") return JsonValue.Create(v);
        return ResolvePlain(v);
    }

    /// <summary>A plain (unquoted, untagged) scalar: null, a boolean, an integer, a float, or else a string.</summary>
    internal static JsonNode? ResolvePlain(string v)
    {
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON": return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF": return JsonValue.Create(false);
        }
        if (IntPattern().IsMatch(v) && long.TryParse(v.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (FloatPattern().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
