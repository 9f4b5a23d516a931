using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>
/// autoscaling/HorizontalPodAutoscaler: AbleToScale=False or ScalingActive=False (for a reason other
/// than ScalingDisabled, which is Suspended) → Degraded; no conditions yet → Progressing; else Healthy.
/// </summary>
internal static class HorizontalPodAutoscalerHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        var able = Condition(obj, "AbleToScale");
        if (IsFalse(able)) return HealthStatus.Degraded(Message(able));
        var active = Condition(obj, "ScalingActive");
        if (IsFalse(active))
        {
            return Str(active!, "reason") == "ScalingDisabled" ? HealthStatus.Suspended(Message(active)) : HealthStatus.Degraded(Message(active));
        }

        return able is null && active is null ? HealthStatus.Progressing("Waiting for the autoscaler to observe its target") : HealthStatus.Healthy(Message(active));
    }
}
