using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// Which fields field management tracks: never apiVersion, kind, metadata itself or the server-owned metadata; only
/// status through the status subresource, and never status through the main resource.
/// </summary>
internal static class TrackedFields
{
    private static readonly string[] UntrackedMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName",
    ];

    private static readonly PathElement Status = PathElement.Field("status");

    public static FieldSet Filter(FieldSet set, string? subresource)
    {
        if (subresource == "status") return set.Only(Status);
        var result = set.Clone();
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
    /// the status subresource resets everything but status.
    /// </summary>
    public static JsonObject ResetFields(JsonObject applied, string? subresource)
    {
        var copy = (JsonObject)applied.DeepClone();
        if (copy["metadata"] is JsonObject metadata) metadata.Remove("managedFields");
        if (subresource is null) copy.Remove("status");
        else if (subresource == "status")
            foreach (var key in copy.Select(p => p.Key).ToList())
                if (key is not ("status" or "apiVersion" or "kind" or "metadata")) copy.Remove(key);
        return copy;
    }
}
