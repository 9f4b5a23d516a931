using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// Which fields field management tracks: never apiVersion, kind, metadata itself or the server-owned
/// metadata; never status through the main resource; through the status subresource, what its
/// strategy does not reset (<see cref="StatusResets"/>).
/// </summary>
internal static class TrackedFields
{
    private static readonly string[] UntrackedMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName",
    ];

    private static readonly PathElement Status = PathElement.Field("status");

    /// <summary>
    /// What a write through the status subresource of a kind cannot change (its status strategy's
    /// PrepareForUpdate and GetResetFields), as paths; null for "everything but status", what most
    /// kinds' (and every custom resource's) status strategies keep. The apps and batch workloads,
    /// Services and Namespaces reset only their spec (a Deployment its labels too, a Pod its owner
    /// references), so their status writes change metadata as well: the deployment controller writes
    /// its revision annotation that way.
    /// </summary>
    public static IReadOnlyList<string[]>? StatusResets(string apiVersion, string kind)
    {
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        return (group, kind) switch
        {
            ("apps", "Deployment") => [["spec"], ["metadata", "labels"]],
            ("apps", "ReplicaSet" or "StatefulSet" or "DaemonSet") or ("batch", "Job" or "CronJob") or ("", "Service" or "Namespace") => [["spec"]],
            ("", "Pod") => [["spec"], ["metadata", "ownerReferences"]],
            _ => null,
        };
    }

    public static FieldSet Filter(FieldSet set, string? subresource, IReadOnlyList<string[]>? statusResets = null)
    {
        if (subresource == "status" && statusResets is null) return set.Only(Status);
        var result = set.Clone();
        if (subresource == "status")
            foreach (var path in statusResets!) result.RemoveSubtree([.. path.Select(PathElement.Field)]);
        result.RemoveSubtree(PathElement.Field("apiVersion"));
        result.RemoveSubtree(PathElement.Field("kind"));
        foreach (var name in UntrackedMetadata) result.RemoveSubtree(PathElement.Field("metadata"), PathElement.Field(name));
        // metadata itself is stripped too (fieldmanager's stripMeta): a custom resource's create, whose
        // live object has no metadata, leaves no empty f:metadata behind.
        result.Unmark(PathElement.Field("metadata"));
        if (subresource is null) result.RemoveSubtree(Status);
        return result;
    }

    /// <summary>
    /// The part of an applied configuration a request may change: the main resource resets status,
    /// the status subresource what <paramref name="statusResets"/> names (everything but status when null).
    /// </summary>
    public static JsonObject ResetFields(JsonObject applied, string? subresource, IReadOnlyList<string[]>? statusResets = null)
    {
        var copy = (JsonObject)applied.DeepClone();
        if (copy["metadata"] is JsonObject metadata) metadata.Remove("managedFields");
        if (subresource is null) copy.Remove("status");
        else if (subresource == "status" && statusResets is null)
        {
            foreach (var key in copy.Select(p => p.Key).ToList())
                if (key is not ("status" or "apiVersion" or "kind" or "metadata")) copy.Remove(key);
        }
        else if (subresource == "status")
        {
            foreach (var path in statusResets!)
                if (path[..^1].Aggregate((JsonNode?)copy, (node, name) => node?[name]) is JsonObject parent) parent.Remove(path[^1]);
        }
        return copy;
    }
}
