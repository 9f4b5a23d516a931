using GitOps.Engine.Model;

namespace GitOps.Engine.Health.Rules;

/// <summary>
/// One user-defined health rule for a kind, in the shape of Flux's <c>spec.healthCheckExprs</c>: CEL
/// expressions over the live object. <see cref="Current"/> is required; <see cref="InProgress"/> and
/// <see cref="Failed"/> are optional (empty = absent). The version in <see cref="ApiVersion"/> is not
/// matched: the rule covers the kind in every version of its group.
/// </summary>
public sealed record HealthCheckRule
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Current { get; set; } = "";
    public string? InProgress { get; init; }
    public string? Failed { get; init; }

    public GroupKind GroupKind => new(GroupKind.GroupOf(ApiVersion), Kind);

    public override string ToString() => $"{Kind} {ApiVersion}";
}
