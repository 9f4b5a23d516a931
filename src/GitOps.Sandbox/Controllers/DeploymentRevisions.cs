using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;

namespace GitOps.Sandbox.Controllers;

/// <summary>
/// The deployment controller's annotations (kube-controller-manager 1.26,
/// pkg/controller/deployment/util): a ReplicaSet's revision, revision history and replica counts,
/// the Deployment annotations copied to its new ReplicaSet, and the surge its max-replicas counts.
/// </summary>
internal static class DeploymentRevisions
{
    public const string Revision = "deployment.kubernetes.io/revision";
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";

    /// <summary>Deployment annotations never copied to a ReplicaSet (annotationsToSkip).</summary>
    private static readonly HashSet<string> NotCopied =
    [
        "kubectl.kubernetes.io/last-applied-configuration", Revision, RevisionHistory, DesiredReplicas, MaxReplicas,
        "deprecated.deployment.rollback.to",
    ];

    /// <summary>A ReplicaSet's revision; 0 when it has none or an unreadable one (MaxRevision skips those).</summary>
    public static long Of(JsonObject rs) =>
        long.TryParse((string?)rs["metadata"]?["annotations"]?[Revision], NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;

    /// <summary>
    /// SetNewReplicaSetAnnotations: copies the Deployment's annotations, and gives the ReplicaSet
    /// <paramref name="newRevision"/> when its own is lower, keeping the one it had in revision-history.
    /// </summary>
    public static void SetNewReplicaSetAnnotations(JsonObject deployment, JsonObject rs, string newRevision)
    {
        var annotations = ObjectMeta.Meta(rs)["annotations"] as JsonObject ?? [];
        foreach (var (k, v) in deployment["metadata"]?["annotations"] as JsonObject ?? [])
            if (!NotCopied.Contains(k) && !JsonNode.DeepEquals(annotations[k], v)) annotations[k] = v?.DeepClone();
        var oldRevision = (string?)annotations[Revision];
        var had = oldRevision is not null;
        long.TryParse(oldRevision, NumberStyles.None, CultureInfo.InvariantCulture, out var oldNumber);
        if (!had || oldNumber < long.Parse(newRevision, CultureInfo.InvariantCulture))
        {
            annotations[Revision] = newRevision;
            if (had)
            {
                var history = (string?)annotations[RevisionHistory];
                annotations[RevisionHistory] = string.IsNullOrEmpty(history) ? oldRevision : $"{history},{oldRevision}";
            }
        }
        ObjectMeta.Meta(rs)["annotations"] = annotations;
    }

    /// <summary>SetReplicasAnnotations: the Deployment's replicas, and those plus its surge.</summary>
    public static void SetReplicas(JsonObject rs, long desired, long max)
    {
        var annotations = ObjectMeta.Meta(rs)["annotations"] as JsonObject ?? [];
        annotations[DesiredReplicas] = desired.ToString(CultureInfo.InvariantCulture);
        annotations[MaxReplicas] = max.ToString(CultureInfo.InvariantCulture);
        ObjectMeta.Meta(rs)["annotations"] = annotations;
    }

    /// <summary>MaxSurge: a rolling update's maxSurge of the replicas (a percentage rounded up); none for Recreate.</summary>
    public static long MaxSurge(JsonObject deployment, long replicas)
    {
        var strategy = deployment["spec"]?["strategy"];
        if ((string?)strategy?["type"] is { } type && type != "RollingUpdate") return 0;
        return strategy?["rollingUpdate"]?["maxSurge"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<long>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().EndsWith('%')
                && long.TryParse(v.GetValue<string>()[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
                => (long)Math.Ceiling(replicas * percent / 100.0),
            _ => 0,
        };
    }
}
