using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>v1/Service: a LoadBalancer is Progressing until it has an ingress address; other types are Healthy.</summary>
internal static class ServiceHealth
{
    public static HealthStatus? Assess(JsonObject obj) =>
        Str(obj, "spec", "type") != "LoadBalancer" || HasLoadBalancerIngress(obj)
            ? HealthStatus.Healthy()
            : HealthStatus.Progressing("Waiting for the load balancer to get an address");
}
