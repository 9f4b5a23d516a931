namespace GitOps.Operator.Cluster;

/// <summary>
/// Where the operator may manage objects: everywhere (the default; the chart's ClusterRole), or only
/// in the namespaces of <c>--managed-namespaces</c> (the chart's <c>rbac.manage.namespaces</c>: a Role
/// in each and no cluster-wide rights). Restricted, the informers list and watch each namespace on its
/// own, and an object that is cluster-scoped or in another namespace is refused, per object and before
/// any request, with a message that says why (not a 403 from the API server).
/// </summary>
public sealed class ManagedScope
{
    private readonly HashSet<string>? _namespaces;

    public ManagedScope(IEnumerable<string>? namespaces)
    {
        var list = namespaces?.Select(n => n.Trim()).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        _namespaces = list is { Count: > 0 } ? list : null;
    }

    public static ManagedScope Everywhere { get; } = new(null);

    public bool IsRestricted => _namespaces is not null;

    /// <summary>The managed namespaces, sorted; empty when unrestricted.</summary>
    public IReadOnlyList<string> Namespaces => _namespaces is null ? [] : [.. _namespaces.Order(StringComparer.Ordinal)];

    /// <summary>Parses the flag's value: namespaces separated by commas (spaces allowed).</summary>
    public static ManagedScope Parse(string? flag) => new(flag?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public bool Allows(bool namespaced, string ns) => _namespaces is null || (namespaced && _namespaces.Contains(ns));

    /// <summary>Why an object the scope does not allow is not managed.</summary>
    public string Refusal(string what, bool namespaced, string ns) => namespaced
        ? $"{what}: namespace \"{ns}\" is not managed by this operator (--managed-namespaces {string.Join(',', Namespaces)})"
        : $"{what}: cluster-scoped objects are not managed by this operator, which manages only the namespaces {string.Join(", ", Namespaces)} (--managed-namespaces)";
}
