using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;

namespace GitOps.Sandbox.Controllers;

/// <summary>
/// The status each simulated workload controller writes: rolling out (progressing), ready, or
/// failed (when the object carries <see cref="FailAnnotation"/>), in the shape the real
/// controllers use.
/// </summary>
internal static class WorkloadStatus
{
    /// <summary>Put this annotation on a workload to make it fail, with its value as the reason text.</summary>
    public const string FailAnnotation = "sandbox.gitops.dev/fail";

    public enum Phase { RollingOut, Ready, Failed }

    public static string? Failure(JsonObject obj) => (string?)obj["metadata"]?["annotations"]?[FailAnnotation];

    public static JsonObject For(string kind, JsonObject obj, Phase phase, string now, string? childName)
    {
        var generation = ObjectMeta.Long(obj, "generation") ?? 1;
        var replicas = (long?)obj["spec"]?["replicas"] ?? 1;
        var ready = phase == Phase.Ready ? replicas : 0;
        return kind switch
        {
            "Deployment" => Deployment(obj, phase, generation, replicas, ready, now, childName ?? ObjectMeta.Name(obj)),
            "ReplicaSet" => Counts(new JsonObject { ["replicas"] = replicas, ["fullyLabeledReplicas"] = replicas }, ready, generation, ("readyReplicas", "availableReplicas")),
            "StatefulSet" => StatefulSet(obj, phase, generation, replicas, ready),
            "DaemonSet" => DaemonSet(phase, generation),
            "Job" => Job(obj, phase, now),
            _ => new JsonObject(),
        };
    }

    private static JsonObject Deployment(JsonObject obj, Phase phase, long generation, long replicas, long ready, string now, string rsName)
    {
        var status = new JsonObject { ["observedGeneration"] = generation };
        if (replicas > 0) status["replicas"] = replicas;
        if (phase != Phase.RollingOut && replicas > 0) status["updatedReplicas"] = replicas;
        if (ready > 0) { status["readyReplicas"] = ready; status["availableReplicas"] = ready; }
        if (replicas - ready > 0) status["unavailableReplicas"] = replicas - ready;
        var name = ObjectMeta.Name(obj);
        status["conditions"] = phase switch
        {
            Phase.Ready => new JsonArray(
                Condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now),
                Condition("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.", now)),
            Phase.Failed => new JsonArray(
                Condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now),
                Condition("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing: {Failure(obj)}", now)),
            _ => new JsonArray(
                Condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now),
                Condition("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.", now)),
        };
        _ = name;
        return status;
    }

    private static JsonObject StatefulSet(JsonObject obj, Phase phase, long generation, long replicas, long ready)
    {
        var revision = $"{ObjectMeta.Name(obj)}-{TemplateHash.Of(obj)}";
        var status = new JsonObject { ["observedGeneration"] = generation, ["replicas"] = replicas };
        if (ready > 0) { status["readyReplicas"] = ready; status["currentReplicas"] = ready; status["updatedReplicas"] = ready; status["availableReplicas"] = ready; }
        else status["availableReplicas"] = 0;
        status["currentRevision"] = revision;
        status["updateRevision"] = revision;
        status["collisionCount"] = 0;
        _ = phase;
        return status;
    }

    private static JsonObject DaemonSet(Phase phase, long generation)
    {
        var ready = phase == Phase.Ready ? 1 : 0;
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = 1,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = 1,
            ["numberReady"] = ready,
            ["observedGeneration"] = generation,
            ["updatedNumberScheduled"] = phase == Phase.RollingOut ? 0 : 1,
        };
        if (ready > 0) status["numberAvailable"] = 1;
        else status["numberUnavailable"] = 1;
        return status;
    }

    private static JsonObject Job(JsonObject obj, Phase phase, string now)
    {
        var completions = (long?)obj["spec"]?["completions"] ?? 1;
        var status = new JsonObject { ["startTime"] = (string?)obj["status"]?["startTime"] ?? now };
        switch (phase)
        {
            case Phase.Ready:
                status["completionTime"] = now;
                status["succeeded"] = completions;
                status["conditions"] = new JsonArray(Condition("Complete", "True", null, null, now, probe: true));
                break;
            case Phase.Failed:
                status["failed"] = 1;
                status["conditions"] = new JsonArray(Condition("Failed", "True", "BackoffLimitExceeded", $"Job has reached the specified backoff limit: {Failure(obj)}", now, probe: true));
                break;
            default:
                status["active"] = 1;
                break;
        }
        return status;
    }

    private static JsonObject Counts(JsonObject status, long ready, long generation, (string Ready, string Available) names)
    {
        if (ready > 0) { status[names.Ready] = ready; status[names.Available] = ready; }
        status["observedGeneration"] = generation;
        return status;
    }

    private static JsonObject Condition(string type, string status, string? reason, string? message, string now, bool probe = false)
    {
        var c = new JsonObject { ["type"] = type, ["status"] = status };
        if (probe) c["lastProbeTime"] = now;
        if (!probe) c["lastUpdateTime"] = now;
        c["lastTransitionTime"] = now;
        if (reason is not null) c["reason"] = reason;
        if (message is not null) c["message"] = message;
        return c;
    }

    /// <summary>Equal up to timestamps: no status write is needed.</summary>
    public static bool SameIgnoringTimes(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(StripTimes(a), StripTimes(b));

    private static JsonNode? StripTimes(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                    if (k is not ("lastTransitionTime" or "lastUpdateTime" or "lastProbeTime" or "startTime" or "completionTime")) copy[k] = StripTimes(v);
                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(StripTimes)]);
            default:
                return node?.DeepClone();
        }
    }
}

/// <summary>A short stable hash of a pod template, as pod-template-hash and controller revisions use.</summary>
internal static class TemplateHash
{
    public static string Of(JsonObject obj)
    {
        var text = obj["spec"]?["template"]?.ToJsonString() ?? "";
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return new string([.. bytes.Take(10).Select(b => alphabet[b % alphabet.Length])]);
    }
}
