using System.Globalization;

namespace GitOps.Loop.Bench;

/// <summary>One sample of a Prometheus text exposition: metric name, labels, value.</summary>
public sealed record PromSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A parsed /metrics page, with sums by name and label filters.</summary>
public sealed class PromText(IReadOnlyList<PromSample> samples)
{
    public IReadOnlyList<PromSample> Samples => samples;

    public static PromText Parse(string text)
    {
        var list = new List<PromSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            if (space <= 0) continue;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            if (brace > 0 && brace < space)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                foreach (var pair in SplitLabels(line[(brace + 1)..close]))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0) labels[pair[..eq]] = pair[(eq + 1)..].Trim('"');
                }
            }
            else name = line[..space];
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) list.Add(new PromSample(name, labels, value));
        }
        return new PromText(list);
    }

    private static IEnumerable<string> SplitLabels(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) quoted = !quoted;
            else if (text[i] == ',' && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        if (start < text.Length) yield return text[start..];
    }

    public double Sum(string name, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        samples.Where(s => s.Name == name && (where is null || where(s.Labels))).Sum(s => s.Value);

    /// <summary>Sums by the value of one label.</summary>
    public Dictionary<string, double> SumBy(string name, string label, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        samples.Where(s => s.Name == name && (where is null || where(s.Labels)))
            .GroupBy(s => s.Labels.GetValueOrDefault(label) ?? "")
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Value), StringComparer.Ordinal);

    /// <summary>b - a for each key of b (a missing key counts as 0); zero differences are left out.</summary>
    public static Dictionary<string, double> Delta(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        b.Select(kv => (kv.Key, Value: kv.Value - a.GetValueOrDefault(kv.Key))).Where(x => x.Value != 0)
            .OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
}
