using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Controller;

/// <summary>
/// Which Application events call for a reconcile: all but a change of the status alone. The operator
/// writes the status; reconciling again on its own write would loop as long as the status keeps
/// changing (a failing sync counts its retries there). The spec (generation), labels, annotations
/// (sync, refresh, rollback requests), finalizers and deletion do call for one, as in
/// controller-runtime's GenerationChanged + AnnotationChanged predicates.
/// </summary>
public static class ApplicationChange
{
    public static bool Matters(InformerEvent e)
    {
        if (e.Type != WatchEventType.Modified || e.Previous is null) return true;
        var now = e.Object["metadata"];
        var before = e.Previous["metadata"];
        return !Same(now?["generation"], before?["generation"]) ||
               !Same(now?["annotations"], before?["annotations"]) ||
               !Same(now?["labels"], before?["labels"]) ||
               !Same(now?["finalizers"], before?["finalizers"]) ||
               !Same(now?["deletionTimestamp"], before?["deletionTimestamp"]);
    }

    private static bool Same(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
