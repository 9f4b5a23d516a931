using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GitOps.Engine.Model;

/// <summary>
/// Reads a small YAML file (a kustomization, Chart.yaml, index.yaml) as JSON nodes, keeping plain
/// scalars typed. Any failure is a <see cref="ManifestException"/> naming the file (and line where known).
/// </summary>
public static partial class YamlJson
{
    public static JsonNode? Parse(string yaml, string shownAs)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ManifestException(shownAs, (int)e.Start.Line, $"is not valid YAML: {e.Message}");
        }
        catch (Exception e) when (ManifestReader.IsParserFault(e))
        {
            throw new ManifestException(shownAs, 0, $"is not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count == 0) return null;
        try
        {
            var nodes = 0;
            return Convert(stream.Documents[0].RootNode, shownAs, 0, ref nodes);
        }
        catch (Exception e) when (ManifestReader.IsParserFault(e))
        {
            throw new ManifestException(shownAs, (int)stream.Documents[0].RootNode.Start.Line, $"cannot be read: {e.Message}");
        }
    }

    private static JsonNode? Convert(YamlNode node, string shownAs, int depth, ref int nodes)
    {
        if (depth > 64) throw new ManifestException(shownAs, (int)node.Start.Line, "YAML nests too deeply");
        // Aliases can make a small file a huge tree (a "billion laughs" index.yaml): cap what it expands to.
        if (++nodes > ManifestReader.MaxNodes) throw new ManifestException(shownAs, 0, $"YAML expands to more than {ManifestReader.MaxNodes:N0} values (aliases repeating aliases?)");
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                    obj[(k as YamlScalarNode)?.Value ?? throw new ManifestException(shownAs, (int)k.Start.Line, "a mapping key is not a plain value")] = Convert(v, shownAs, depth + 1, ref nodes);
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children) arr.Add(Convert(item, shownAs, depth + 1, ref nodes));
                return arr;
            case YamlScalarNode s:
                var value = s.Value ?? "";
                if (s.Style != ScalarStyle.Plain) return JsonValue.Create(value);
                if (value is "" or "~" or "null" or "Null" or "NULL") return null;
                if (value is "true" or "True" or "TRUE") return JsonValue.Create(true);
                if (value is "false" or "False" or "FALSE") return JsonValue.Create(false);
                if (IntPattern().IsMatch(value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
                if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
                return JsonValue.Create(value);
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?([0-9]*\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
