using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GitOps.Operator.Render;

/// <summary>Reads a small YAML file (a kustomization, Chart.yaml, index.yaml) as JSON nodes, keeping plain scalars typed.</summary>
internal static partial class YamlJson
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
            throw new RenderException($"is not valid YAML: {e.Message}", shownAs, (int)e.Start.Line);
        }
        catch (Exception e) when (Engine.Model.ManifestReader.IsParserFault(e))
        {
            throw new RenderException($"is not valid YAML: {e.Message}", shownAs);
        }
        if (stream.Documents.Count == 0) return null;
        try
        {
            var nodes = 0;
            return Convert(stream.Documents[0].RootNode, 0, ref nodes);
        }
        catch (Exception e) when (Engine.Model.ManifestReader.IsParserFault(e))
        {
            throw new RenderException($"cannot be read: {e.Message}", shownAs, (int)stream.Documents[0].RootNode.Start.Line);
        }
    }

    private static JsonNode? Convert(YamlNode node, int depth, ref int nodes)
    {
        if (depth > 64) throw new RenderException("YAML nests too deeply");
        // Aliases can make a small file a huge tree (a "billion laughs" index.yaml): cap what it expands to.
        if (++nodes > Engine.Model.ManifestReader.MaxNodes) throw new RenderException($"YAML expands to more than {Engine.Model.ManifestReader.MaxNodes:N0} values (aliases repeating aliases?)");
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                    obj[(k as YamlScalarNode)?.Value ?? throw new RenderException($"a mapping key at line {k.Start.Line} is not a plain value")] = Convert(v, depth + 1, ref nodes);
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children) arr.Add(Convert(item, depth + 1, ref nodes));
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
