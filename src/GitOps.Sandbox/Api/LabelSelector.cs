using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Sandbox.Api;

/// <summary>
/// A parsed labelSelector query (=, ==, !=, in, notin, exists, !exists), matched as
/// apimachinery's labels.Parse does: every requirement must hold.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(JsonObject obj) => Matches(Labels(obj));

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject labels)
            foreach (var (k, v) in labels) result[k] = v?.ToString() ?? "";
        return result;
    }

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var term in SplitTerms(text))
        {
            var t = term.Trim();
            if (t.Length == 0) throw Bad(text, "empty requirement");
            Match m;
            if ((m = SetPattern().Match(t)).Success)
            {
                var key = Key(m.Groups[1].Value, text);
                var values = m.Groups[3].Value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
                if (m.Groups[2].Value == "in")
                    selector._requirements.Add(l => l.TryGetValue(key, out var v) && values.Contains(v));
                else
                    selector._requirements.Add(l => !l.TryGetValue(key, out var v) || !values.Contains(v));
            }
            else if ((m = ComparePattern().Match(t)).Success)
            {
                var key = Key(m.Groups[1].Value, text);
                var value = m.Groups[3].Value.Trim();
                if (m.Groups[2].Value == "!=")
                    selector._requirements.Add(l => !l.TryGetValue(key, out var v) || v != value);
                else
                    selector._requirements.Add(l => l.TryGetValue(key, out var v) && v == value);
            }
            else if (t.StartsWith('!'))
            {
                var key = Key(t[1..].Trim(), text);
                selector._requirements.Add(l => !l.ContainsKey(key));
            }
            else
            {
                var key = Key(t, text);
                selector._requirements.Add(l => l.ContainsKey(key));
            }
        }
        return selector;
    }

    private static string Key(string key, string text) =>
        KeyPattern().IsMatch(key) ? key : throw Bad(text, $"invalid label key \"{key}\"");

    private static StatusException Bad(string text, string why) =>
        StatusException.BadRequest($"unable to parse requirement: {why} (selector \"{text}\")");

    // Commas separate requirements except inside the parentheses of in/notin.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    [GeneratedRegex(@"^([^\s!=(),]+)\s+(in|notin)\s+\((.*)\)$")]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^([^\s!=(),]+)\s*(==|!=|=)\s*([^\s=!(),]*)$")]
    private static partial Regex ComparePattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyPattern();
}
