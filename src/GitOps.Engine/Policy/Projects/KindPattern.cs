using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Projects;

/// <summary>A (group, kind) pattern of a Project's resource lists; <c>*</c> matches any.</summary>
public sealed record KindPattern(string Group, string Kind)
{
    public static KindPattern Any { get; } = new("*", "*");

    public bool Matches(GroupKind gk) => Wildcard.IsMatch(Group, gk.Group) && Wildcard.IsMatch(Kind, gk.Kind);

    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)}/{Kind}";
}
