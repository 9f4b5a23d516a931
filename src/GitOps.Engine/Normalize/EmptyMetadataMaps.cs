using System.Text.Json.Nodes;

namespace GitOps.Engine.Normalize;

/// <summary>
/// Treats an empty or null <c>metadata.labels</c> / <c>metadata.annotations</c> as absent: the API
/// server drops empty maps, and stripping the last-applied annotation can leave one behind.
/// </summary>
// xref: argoproj/argo-cd#3150 — manifests with empty metadata annotations stay OutOfSync and cannot converge.
public sealed class EmptyMetadataMaps : InPlaceNormalizer
{
    protected internal override void NormalizeInPlace(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata) return;
        foreach (var name in new[] { "labels", "annotations" })
        {
            if (metadata.TryGetPropertyValue(name, out var node) && (node is null || node is JsonObject { Count: 0 }))
            {
                metadata.Remove(name);
            }
        }
    }
}
