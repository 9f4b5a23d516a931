using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>Where the built-in workload kinds keep their pod spec, and the containers in it.</summary>
internal static class PodSpecs
{
    public static JsonObject? Of(Manifest manifest)
    {
        var obj = manifest.ToJson();
        return (manifest.Group, manifest.Kind) switch
        {
            ("", "Pod") => Json.GetObject(obj, "spec"),
            ("", "ReplicationController") or ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet") or ("batch", "Job") => Json.GetObject(obj, "spec", "template", "spec"),
            ("batch", "CronJob") => Json.GetObject(obj, "spec", "jobTemplate", "spec", "template", "spec"),
            _ => null,
        };
    }

    /// <summary>Every container, init container and ephemeral container, with its name.</summary>
    public static IEnumerable<(string Name, JsonObject Container)> Containers(JsonObject podSpec) =>
        new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => Json.GetArray(podSpec, list)?.OfType<JsonObject>() ?? [])
            .Select(c => (Json.GetString(c, "name") ?? "?", c));
}
