using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>apps/DaemonSet: generation seen, every scheduled pod updated and available (OnDelete: healthy once observed).</summary>
internal static class DaemonSetHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        if (GenerationPending(obj)) return HealthStatus.Progressing("Waiting for rollout to finish: observed daemon set generation less than desired generation");
        if (Str(obj, "spec", "updateStrategy", "type") == "OnDelete") return HealthStatus.Healthy("daemon set has OnDelete update strategy: pods are replaced by hand");
        var desired = Int(obj, "status", "desiredNumberScheduled");
        var updated = Int(obj, "status", "updatedNumberScheduled");
        var available = Int(obj, "status", "numberAvailable");
        if (updated < desired) return HealthStatus.Progressing($"Waiting for daemon set rollout to finish: {updated} out of {desired} new pods have been updated...");
        if (available < desired) return HealthStatus.Progressing($"Waiting for daemon set rollout to finish: {available} of {desired} updated pods are available...");
        return HealthStatus.Healthy();
    }
}
