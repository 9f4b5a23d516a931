using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>v1/Namespace: Active → Healthy, Terminating → Progressing.</summary>
internal static class NamespaceHealth
{
    public static HealthStatus? Assess(JsonObject obj) => Str(obj, "status", "phase") switch
    {
        "Active" => HealthStatus.Healthy(),
        "Terminating" => HealthStatus.Progressing("Namespace is terminating"),
        _ => HealthStatus.Progressing("Waiting for the namespace to become active"),
    };
}
