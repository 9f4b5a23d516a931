using System.Text.Json.Nodes;
using GitOps.Engine.Health.Kinds;
using GitOps.Engine.Model;

namespace GitOps.Engine.Health;

/// <summary>
/// Maps a <see cref="GroupKind"/> to its health check. <see cref="Assess"/> evaluates in this order:
/// pending deletion → Progressing; a user override for the kind; the built-in check for the kind;
/// otherwise the generic check (kstatus conditions and observedGeneration). A check with no opinion
/// returns null, never Healthy.
/// </summary>
public sealed class HealthRegistry
{
    private static readonly Dictionary<GroupKind, Func<JsonObject, HealthStatus?>> s_builtIn = new()
    {
        [new("apps", "Deployment")] = DeploymentHealth.Assess,
        [new("apps", "StatefulSet")] = StatefulSetHealth.Assess,
        [new("apps", "DaemonSet")] = DaemonSetHealth.Assess,
        [new("apps", "ReplicaSet")] = ReplicaSetHealth.Assess,
        [new("", "Pod")] = PodHealth.Assess,
        [new("batch", "Job")] = JobHealth.Assess,
        [new("", "PersistentVolumeClaim")] = PersistentVolumeClaimHealth.Assess,
        [new("", "Service")] = ServiceHealth.Assess,
        [new("networking.k8s.io", "Ingress")] = IngressHealth.Assess,
        [new("apiextensions.k8s.io", "CustomResourceDefinition")] = CustomResourceDefinitionHealth.Assess,
        [new("", "Namespace")] = NamespaceHealth.Assess,
        [new("autoscaling", "HorizontalPodAutoscaler")] = HorizontalPodAutoscalerHealth.Assess,
    };

    private readonly IReadOnlyDictionary<GroupKind, Func<JsonObject, HealthStatus?>> _overrides;

    private HealthRegistry(IReadOnlyDictionary<GroupKind, Func<JsonObject, HealthStatus?>> overrides) => _overrides = overrides;

    /// <summary>The built-in checks only.</summary>
    public static HealthRegistry Default { get; } = new(new Dictionary<GroupKind, Func<JsonObject, HealthStatus?>>());

    /// <summary>A registry where <paramref name="check"/> replaces the check for <paramref name="kind"/>.</summary>
    public HealthRegistry WithOverride(GroupKind kind, Func<JsonObject, HealthStatus?> check) =>
        new(new Dictionary<GroupKind, Func<JsonObject, HealthStatus?>>(_overrides) { [kind] = check });

    /// <summary>The kinds with a built-in check.</summary>
    public static IReadOnlyCollection<GroupKind> BuiltInKinds => s_builtIn.Keys;

    /// <summary>The health of a live object, or null when no rule has an opinion. A check that fails on malformed input gives Unknown.</summary>
    public HealthStatus? Assess(JsonObject live)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (Json.GetString(live, ["metadata", "deletionTimestamp"]) is not null)
        {
            return HealthStatus.Progressing("Pending deletion");
        }

        var key = ResourceKey.Of(live);
        var check = _overrides.GetValueOrDefault(key.GroupKind) ?? s_builtIn.GetValueOrDefault(key.GroupKind) ?? GenericHealth.Assess;
        try
        {
            return check(live);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException)
        {
            return new HealthStatus(HealthCode.Unknown, $"{key}: {e.Message}");
        }
    }
}
