using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api;

/// <summary>
/// A parsed fieldSelector: terms with =, == and != on the labels the resource accepts
/// (<see cref="FieldLabels"/>), matched against the selectable fields of stored objects.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms = [];
    private readonly FieldLabels _labels;

    private FieldSelector(FieldLabels labels) => _labels = labels;

    public static FieldSelector Everything { get; } = new(FieldLabels.ObjectMeta);

    public static FieldSelector Parse(string? text, FieldLabels labels)
    {
        var selector = new FieldSelector(labels);
        if (string.IsNullOrWhiteSpace(text)) return selector;
        var terms = new List<(string Label, string Value, bool Equal)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (op, equal) = term.Contains("!=") ? ("!=", false) : term.Contains("==") ? ("==", true) : ("=", true);
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0) throw StatusException.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            terms.Add((term[..at].Trim(), term[(at + op.Length)..].Trim(), equal));
        }
        // As the apiserver does: the whole selector parses first, then each label is converted.
        foreach (var (label, value, equal) in terms) selector._terms.Add((labels.SelectableField(label), value, equal));
        return selector;
    }

    /// <summary>No terms: everything matches (and a list may report remainingItemCount).</summary>
    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The single name an "=" term pins, so a watch of one object can be recognised.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    /// <summary>Whether a stored object matches; a field the object does not have reads as "".</summary>
    public bool Matches(JsonObject obj)
    {
        if (_terms.Count == 0) return true;
        var fields = _labels.SelectableFields(obj);
        foreach (var (field, value, equal) in _terms)
            if ((fields.GetValueOrDefault(field, "") == value) != equal) return false;
        return true;
    }
}
