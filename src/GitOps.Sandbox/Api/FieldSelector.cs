using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api;

/// <summary>A parsed fieldSelector: metadata.name and metadata.namespace with =, == and !=, as every resource supports.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms = [];

    public static FieldSelector Everything { get; } = new();

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (op, equal) = term.Contains("!=") ? ("!=", false) : term.Contains("==") ? ("==", true) : ("=", true);
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0) throw StatusException.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            var field = term[..at].Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
                throw StatusException.BadRequest($"field label not supported: {field}");
            selector._terms.Add((field, term[(at + op.Length)..].Trim(), equal));
        }
        return selector;
    }

    /// <summary>The single name an "=" term pins, so a watch of one object can be recognised.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, value, equal) in _terms)
        {
            var actual = (string?)obj["metadata"]?[field == "metadata.name" ? "name" : "namespace"] ?? "";
            if ((actual == value) != equal) return false;
        }
        return true;
    }
}
