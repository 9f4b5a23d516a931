using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Operator.Render;

/// <summary>A small YAML file a renderer reads (a kustomization, Chart.yaml) as JSON; a failure is a <see cref="RenderException"/> naming the file and line.</summary>
internal static class RenderYaml
{
    public static JsonNode? Parse(string yaml, string shownAs)
    {
        try
        {
            return YamlJson.Parse(yaml, shownAs);
        }
        catch (ManifestException e)
        {
            throw new RenderException(e.Reason, e.SourceName, e.Line > 0 ? e.Line : null);
        }
    }
}
