using GitOps.Engine.Model;
using GitOps.Engine.Normalize;

namespace GitOps.Engine.Diff;

/// <summary>
/// An <c>ignoreDifferences</c> entry. <see cref="Group"/> null or "*" matches every group ("" is the
/// core group); <see cref="Kind"/> "*" matches every kind; a null name or namespace matches all.
/// </summary>
public sealed record IgnoreDifference(
    string? Group,
    string Kind,
    string? Name = null,
    string? Namespace = null,
    IReadOnlyList<string>? JsonPointers = null,
    IReadOnlyList<string>? ManagedFieldsManagers = null)
{
    public bool Matches(ResourceKey key) =>
        (Group is null || Group == "*" || Group == key.Group)
        && (Kind == "*" || Kind == key.Kind)
        && (Name is null || Name == key.Name)
        && (Namespace is null || Namespace == key.Namespace);

    public override string ToString() =>
        $"{Kind}{(Group is null or "*" or "" ? "" : "." + Group)}{(Name is null ? "" : "/" + Name)} pointers=[{string.Join(",", JsonPointers ?? [])}] managers=[{string.Join(",", ManagedFieldsManagers ?? [])}]";
}

/// <summary>How <see cref="Differ"/> compares.</summary>
/// <param name="IgnoreDifferences">Rules that hide fields from the comparison.</param>
/// <param name="FieldManager">Our field manager. When either object's managedFields name it, only the fields it owns (in either) are compared.</param>
/// <param name="Normalizers">The chain both sides pass through.</param>
public sealed record DiffOptions(IReadOnlyList<IgnoreDifference> IgnoreDifferences, string FieldManager, NormalizerChain Normalizers)
{
    public const string DefaultFieldManager = "gitops-operator";

    public static DiffOptions Default { get; } = new([], DefaultFieldManager, NormalizerChain.Default);

    public override string ToString() =>
        $"manager={FieldManager} ignore={IgnoreDifferences.Count} chain={Normalizers}";
}
