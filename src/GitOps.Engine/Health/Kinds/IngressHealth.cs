using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>networking.k8s.io/Ingress: Healthy once status.loadBalancer.ingress has an address.</summary>
internal static class IngressHealth
{
    public static HealthStatus? Assess(JsonObject obj) =>
        HasLoadBalancerIngress(obj) ? HealthStatus.Healthy() : HealthStatus.Progressing("Waiting for the ingress to get an address");
}
