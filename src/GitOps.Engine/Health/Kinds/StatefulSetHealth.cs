using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>apps/StatefulSet: generation seen, replicas ready, partitioned rollout done, current revision = update revision.</summary>
internal static class StatefulSetHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        if (IntOrNull(obj, "status", "observedGeneration") is null or 0 || GenerationPending(obj))
        {
            return HealthStatus.Progressing("Waiting for statefulset spec update to be observed...");
        }

        var desired = IntOrNull(obj, "spec", "replicas") ?? 1;
        var ready = Int(obj, "status", "readyReplicas");
        if (ready < desired) return HealthStatus.Progressing($"Waiting for {desired} pods to be ready ({ready} ready)...");
        if (Str(obj, "spec", "updateStrategy", "type") == "OnDelete") return HealthStatus.Healthy("statefulset has OnDelete update strategy: pods are replaced by hand");
        if (IntOrNull(obj, "spec", "updateStrategy", "rollingUpdate", "partition") is { } partition and > 0)
        {
            var updated = Int(obj, "status", "updatedReplicas");
            return updated < desired - partition
                ? HealthStatus.Progressing($"Waiting for partitioned roll out to finish: {updated} out of {desired - partition} new pods have been updated...")
                : HealthStatus.Healthy($"partitioned roll out complete: {updated} new pods have been updated...");
        }

        var current = Str(obj, "status", "currentRevision");
        var update = Str(obj, "status", "updateRevision");
        if (update is not null && current != update)
        {
            return HealthStatus.Progressing($"waiting for statefulset rolling update to complete {Int(obj, "status", "updatedReplicas")} pods at revision {update}...");
        }

        return HealthStatus.Healthy($"statefulset rolling update complete {ready} pods at revision {current}...");
    }
}
