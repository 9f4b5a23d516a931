using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Patching;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json) as apimachinery's strategicpatch
/// applies it on the server (MergeParallelList and IgnoreUnmatchedNulls on): lists whose schema says
/// patch strategy "merge" merge by their merge key (or are unioned when they hold primitives), other
/// lists are replaced, maps merge, null deletes, and the directives $patch (replace, delete),
/// $retainKeys, $setElementOrder/field and $deleteFromPrimitiveList/field are honoured. With
/// <see cref="SchemaNode.Unknown"/> every list is atomic, so the patch behaves like a JSON merge patch.
/// kube-apiserver refuses this patch type for custom resources (415); that is the caller's job.
/// </summary>
public static class StrategicMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="original"/> guided by the schema of
    /// the object's kind. Throws <see cref="PatchException"/> with the Status kube-apiserver answers.
    /// </summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch, SchemaNode schema)
    {
        var target = (JsonObject)original.DeepClone();
        var work = (JsonObject)patch.DeepClone();
        return SmpMaps.Merge(target, work, schema);
    }
}
