using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>
/// Any other kind, following kstatus: observedGeneration behind generation → Progressing;
/// Stalled=True → Degraded; Reconciling=True → Progressing; Ready=True → Healthy; Ready=False →
/// Progressing; otherwise an observedGeneration that caught up → Healthy (kstatus "Current").
/// No conditions and no observedGeneration → null (no opinion).
/// </summary>
internal static class GenericHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        var hasObserved = IntOrNull(obj, "status", "observedGeneration") is not null;
        if (hasObserved && GenerationPending(obj)) return HealthStatus.Progressing("Waiting for the controller to observe the latest generation");
        var stalled = Condition(obj, "Stalled");
        if (IsTrue(stalled)) return HealthStatus.Degraded(Message(stalled));
        var reconciling = Condition(obj, "Reconciling");
        if (IsTrue(reconciling)) return HealthStatus.Progressing(Message(reconciling));
        var ready = Condition(obj, "Ready");
        if (IsTrue(ready)) return HealthStatus.Healthy(Message(ready));
        if (IsFalse(ready)) return HealthStatus.Progressing(Message(ready));
        return hasObserved ? HealthStatus.Healthy("the controller has observed the latest generation") : null;
    }
}
