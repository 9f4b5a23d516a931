using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>v1/PersistentVolumeClaim: Bound → Healthy, Pending → Progressing, Lost → Degraded.</summary>
internal static class PersistentVolumeClaimHealth
{
    public static HealthStatus? Assess(JsonObject obj) => Str(obj, "status", "phase") switch
    {
        "Bound" => HealthStatus.Healthy(),
        "Pending" => HealthStatus.Progressing("Waiting for the claim to be bound"),
        "Lost" => HealthStatus.Degraded("The claim lost its volume"),
        var p => new HealthStatus(HealthCode.Unknown, $"unknown claim phase '{p}'"),
    };
}
