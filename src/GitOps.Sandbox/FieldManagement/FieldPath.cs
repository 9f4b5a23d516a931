namespace GitOps.Sandbox.FieldManagement;

/// <summary>A path from the object root to one field, list element or value.</summary>
public sealed class FieldPath(IReadOnlyList<PathElement> elements) : IEquatable<FieldPath>
{
    public IReadOnlyList<PathElement> Elements { get; } = elements;

    public static FieldPath Parse(params string[] tokens) => new(tokens.Select(PathElement.Parse).ToArray());

    public FieldPath Append(PathElement element) => new([.. Elements, element]);

    /// <summary>As the apiserver prints it: <c>.spec.template.spec.containers[name="web"].image</c>.</summary>
    public override string ToString() => string.Concat(Elements.Select(e => e.Render()));

    public bool Equals(FieldPath? other) => other is not null && Elements.SequenceEqual(other.Elements);

    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in Elements) hash.Add(e);
        return hash.ToHashCode();
    }
}
