using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// Which kinds carry metadata.generation and which changes bump it, as each kind's registry
/// strategy decides in kube-apiserver: spec changes only (Deployments also count annotation
/// changes; custom resources count everything outside metadata and status).
/// </summary>
public static class GenerationRules
{
    private static readonly HashSet<(string Group, string Kind)> Tracked =
    [
        ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"),
        ("batch", "Job"), ("batch", "CronJob"),
        ("networking.k8s.io", "Ingress"), ("networking.k8s.io", "NetworkPolicy"), ("networking.k8s.io", "IngressClass"),
        ("policy", "PodDisruptionBudget"), ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("", "ReplicationController"),
    ];

    public static bool Tracks(ResourceType type) => type.IsCustom || Tracked.Contains((type.Group, type.Kind));

    public static bool Bumps(ResourceType type, JsonObject old, JsonObject updated)
    {
        if (!Tracks(type)) return false;
        if (type.IsCustom)
        {
            foreach (var key in old.Select(kv => kv.Key).Union(updated.Select(kv => kv.Key)))
            {
                if (key is "metadata" or "apiVersion" or "kind" || (key == "status" && type.HasStatus)) continue;
                if (!JsonNode.DeepEquals(old[key], updated[key])) return true;
            }
            return false;
        }
        if (!JsonNode.DeepEquals(old["spec"], updated["spec"])) return true;
        return type is { Group: "apps", Kind: "Deployment" } &&
               !JsonNode.DeepEquals(old["metadata"]?["annotations"], updated["metadata"]?["annotations"]);
    }
}
