using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Sandbox.Api;

/// <summary>
/// The subset of Kubernetes JSONPath that printer columns use: dotted fields, [n] indexes and
/// [?(@.field=="value")] filters, e.g. .status.conditions[?(@.type=="Ready")].status.
/// </summary>
public static partial class SimpleJsonPath
{
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}')) p = p[1..^1];
        if (p.StartsWith('$')) p = p[1..];
        JsonNode? current = root;
        foreach (Match m in Segment().Matches(p))
        {
            if (current is null) return null;
            if (m.Groups["field"].Success) current = current is JsonObject o ? o[m.Groups["field"].Value] : null;
            else if (m.Groups["index"].Success) current = current is JsonArray a && int.Parse(m.Groups["index"].Value) is var i && i < a.Count ? a[i] : null;
            else if (m.Groups["ffield"].Success)
            {
                var field = m.Groups["ffield"].Value;
                var want = m.Groups["fvalue"].Value;
                current = current is JsonArray a ? a.FirstOrDefault(e => e?[field]?.ToString() == want) : null;
            }
        }
        return current;
    }

    [GeneratedRegex(@"\.(?<field>[A-Za-z0-9_\-/]+)|\[(?<index>\d+)\]|\[\?\(@\.(?<ffield>[A-Za-z0-9_]+)\s*==\s*[""'](?<fvalue>[^""']*)[""']\)\]")]
    private static partial Regex Segment();
}
