using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>apps/Deployment: paused → Suspended; progress deadline exceeded → Degraded; rollout not done → Progressing.</summary>
internal static class DeploymentHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        if (Engine.Model.Json.GetBool(obj, "spec", "paused") == true) return HealthStatus.Suspended("Deployment is paused");
        if (GenerationPending(obj)) return HealthStatus.Progressing("Waiting for rollout to finish: observed deployment generation less than desired generation");
        var progressing = Condition(obj, "Progressing");
        if (progressing is not null && Str(progressing, "reason") == "ProgressDeadlineExceeded")
        {
            return HealthStatus.Degraded($"Deployment exceeded its progress deadline: {Message(progressing)}");
        }

        var desired = IntOrNull(obj, "spec", "replicas") ?? 1;
        var updated = Int(obj, "status", "updatedReplicas");
        var total = Int(obj, "status", "replicas");
        var available = Int(obj, "status", "availableReplicas");
        if (updated < desired) return HealthStatus.Progressing($"Waiting for rollout to finish: {updated} out of {desired} new replicas have been updated...");
        if (total > updated) return HealthStatus.Progressing($"Waiting for rollout to finish: {total - updated} old replicas are pending termination...");
        if (available < updated) return HealthStatus.Progressing($"Waiting for rollout to finish: {available} of {updated} updated replicas are available...");
        return HealthStatus.Healthy();
    }
}
