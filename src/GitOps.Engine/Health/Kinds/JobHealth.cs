using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>batch/Job: Failed → Degraded, Complete → Healthy, suspended → Suspended, otherwise Progressing.</summary>
internal static class JobHealth
{
    public static HealthStatus? Assess(JsonObject obj)
    {
        var failed = Condition(obj, "Failed");
        if (IsTrue(failed)) return HealthStatus.Degraded($"Job failed: {Message(failed)}");
        var complete = Condition(obj, "Complete");
        if (IsTrue(complete)) return HealthStatus.Healthy(Message(complete));
        if (Json.GetBool(obj, "spec", "suspend") == true) return HealthStatus.Suspended("Job is suspended");
        return HealthStatus.Progressing("Job is running");
    }
}
