using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>apiextensions.k8s.io/CustomResourceDefinition: NamesAccepted=False → Degraded, Established=True → Healthy, else Progressing.</summary>
internal static class CustomResourceDefinitionHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        var names = Condition(obj, "NamesAccepted");
        if (IsFalse(names)) return HealthStatus.Degraded($"CRD names were not accepted: {Message(names)}");
        var established = Condition(obj, "Established");
        if (IsTrue(established)) return HealthStatus.Healthy();
        return HealthStatus.Progressing(established is null ? "Waiting for the CRD to be established" : Message(established));
    }
}
