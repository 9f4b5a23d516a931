using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Kinds;

/// <summary>
/// v1/Pod: Succeeded → Healthy, Failed → Degraded, Pending/Running with a container stuck in a
/// crash or image-pull error → Degraded, Running with every container ready (restartPolicy Always) →
/// Healthy, otherwise Progressing; phase Unknown → Unknown.
/// </summary>
internal static class PodHealth
{
    private static readonly HashSet<string> s_badWaiting =
        ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError"];

    public static HealthStatus? Assess(JsonObject obj)
    {
        var phase = Str(obj, "status", "phase");
        var statuses = (Json.GetArray(obj, "status", "initContainerStatuses") ?? []).Concat(Json.GetArray(obj, "status", "containerStatuses") ?? []).OfType<JsonObject>().ToList();
        foreach (var s in statuses)
        {
            var reason = Str(s, "state", "waiting", "reason");
            if (reason is not null && s_badWaiting.Contains(reason))
            {
                return HealthStatus.Degraded($"container {Str(s, "name")}: {reason}{(Str(s, "state", "waiting", "message") is { } m ? ": " + m : "")}");
            }
        }

        switch (phase)
        {
            case "Succeeded":
                return HealthStatus.Healthy(Str(obj, "status", "message") ?? "");
            case "Failed":
                return HealthStatus.Degraded(Str(obj, "status", "message") ?? "pod failed");
            case "Running":
                if (Str(obj, "spec", "restartPolicy") is null or "Always")
                {
                    var ready = IsTrue(Condition(obj, "Ready"));
                    return ready ? HealthStatus.Healthy() : HealthStatus.Progressing("Waiting for all containers to be ready");
                }

                return HealthStatus.Progressing("Pod is running to completion");
            case "Pending":
                return HealthStatus.Progressing(Str(obj, "status", "message") ?? "Pod is pending");
            case "Unknown":
                return new HealthStatus(HealthCode.Unknown, Str(obj, "status", "message") ?? "pod phase is Unknown");
            default:
                return HealthStatus.Progressing("Waiting for the pod to be scheduled");
        }
    }
}
