using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>Where the built-in workload kinds keep their pod spec, and the containers in it.</summary>
internal static class PodSpecs
{
    /// <summary>The pod spec inside the manifest, read in place (rules only read it: no copy per rule).</summary>
    public static JsonObject? Of(Manifest manifest) => (manifest.Group, manifest.Kind) switch
    {
        ("", "Pod") => manifest.Get("spec") as JsonObject,
        ("", "ReplicationController") or ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet") or ("batch", "Job") => manifest.Get("spec", "template", "spec") as JsonObject,
        ("batch", "CronJob") => manifest.Get("spec", "jobTemplate", "spec", "template", "spec") as JsonObject,
        _ => null,
    };

    /// <summary>Every container, init container and ephemeral container, with its name.</summary>
    public static IEnumerable<(string Name, JsonObject Container)> Containers(JsonObject podSpec) =>
        new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => Json.GetArray(podSpec, list)?.OfType<JsonObject>() ?? [])
            .Select(c => (Json.GetString(c, "name") ?? "?", c));
}
