using System.Text.Json.Nodes;

namespace GitOps.Engine.Normalize;

/// <summary>
/// Removes metadata the API server writes (managedFields, resourceVersion, generation, uid,
/// creationTimestamp, selfLink, deletionTimestamp, deletionGracePeriodSeconds) and the client-side
/// apply annotation, none of which Git states.
/// </summary>
// xref: kubernetes/kubernetes#66450 — server-populated fields make a naive compare report a change on every apply.
// xref: zapier/kubechecks#365 — kubectl.kubernetes.io/last-applied-configuration floods diffs and is never desired state.
public sealed class StripServerMetadata : InPlaceNormalizer
{
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    private static readonly string[] s_fields =
    [
        "managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    ];

    protected internal override void NormalizeInPlace(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata) return;
        foreach (var f in s_fields) metadata.Remove(f);
        (metadata["annotations"] as JsonObject)?.Remove(LastAppliedAnnotation);
    }
}
