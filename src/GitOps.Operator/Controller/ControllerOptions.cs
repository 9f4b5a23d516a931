namespace GitOps.Operator.Controller;

/// <summary>What the controller takes of the operator's options.</summary>
/// <param name="Namespace">Watch Applications in this namespace only; null for all namespaces.</param>
/// <param name="Workers">How many reconciles run at once.</param>
/// <param name="Sharding">This replica's share of the Applications.</param>
/// <param name="DefaultServiceAccount">The service account Applications naming none (and whose Project names none) act as; null: the operator itself.</param>
public sealed record ControllerOptions(string? Namespace, int Workers, Sharding Sharding, string? DefaultServiceAccount)
{
    public static ControllerOptions Default { get; } = new(null, 4, Sharding.Single, null);
}
