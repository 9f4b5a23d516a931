namespace GitOps.Engine.Model;

/// <summary>An API group and a kind: what discovery and health rules are keyed on. The core group is "".</summary>
public readonly record struct GroupKind(string Group, string Kind)
{
    /// <summary><c>Kind</c> for the core group, <c>Kind.group</c> otherwise (kubectl's spelling).</summary>
    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The group part of an apiVersion: <c>apps/v1</c> → <c>apps</c>, <c>v1</c> → "".</summary>
    public static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
