using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>apps/ReplicaSet: ReplicaFailure → Degraded; fewer available than wanted → Progressing.</summary>
internal static class ReplicaSetHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        if (GenerationPending(obj)) return HealthStatus.Progressing("Waiting for rollout to finish: observed replica set generation less than desired generation");
        var failure = Condition(obj, "ReplicaFailure");
        if (IsTrue(failure)) return HealthStatus.Degraded(Message(failure));
        var desired = IntOrNull(obj, "spec", "replicas") ?? 1;
        var available = Int(obj, "status", "availableReplicas");
        return available < desired
            ? HealthStatus.Progressing($"Waiting for rollout to finish: {available} out of {desired} new replicas are available...")
            : HealthStatus.Healthy();
    }
}
