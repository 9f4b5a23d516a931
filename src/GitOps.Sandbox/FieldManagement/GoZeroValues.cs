using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// kube-apiserver compares built-in objects as Go structs turned into maps, where non-pointer
/// struct fields (spec, template, strategy...) and non-omitempty lists (containers) always exist,
/// even in the empty object a create starts from. Whether such a field existed decides whether an
/// Update entry owns it as a member (<c>".": {}</c>), so this fills them in before comparing, and
/// with them what encoding the kind's Go zero value writes (<see cref="GoEncoding.FillZeros"/>:
/// a CRD's <c>spec.names</c>, <c>status.conditions: null</c>, zero counts without omitempty).
/// Custom resources are plain maps and are compared as they are.
/// </summary>
internal static class GoZeroValues
{
    private static readonly HashSet<string> ValueStructs =
        ["metadata", "spec", "status", "template", "strategy", "updateStrategy", "jobTemplate", "resources"];

    private static readonly HashSet<string> NonOmitEmptyLists = ["containers"];

    /// <summary>Built-in kinds live in the core group, dotless groups, or *.k8s.io groups.</summary>
    public static bool IsBuiltIn(string? apiVersion)
    {
        if (apiVersion is null || !apiVersion.Contains('/')) return true;
        var group = apiVersion[..apiVersion.IndexOf('/')];
        return !group.Contains('.') || group.EndsWith(".k8s.io", StringComparison.Ordinal);
    }

    public static JsonObject Fill(JsonObject? obj, SchemaNode schema, bool builtIn, string apiVersion = "", string kind = "")
    {
        var copy = (JsonObject?)obj?.DeepClone() ?? new JsonObject();
        if (copy["metadata"] is JsonObject m) m.Remove("managedFields");
        if (!builtIn) return copy;
        FillStruct(copy, schema, 0);
        var slash = apiVersion.IndexOf('/');
        GoEncoding.FillZeros(copy, slash < 0 ? "" : apiVersion[..slash], apiVersion[(slash + 1)..], kind);
        return copy;
    }

    private static void FillStruct(JsonObject obj, SchemaNode schema, int depth)
    {
        if (depth > 12) return;
        foreach (var (name, field) in schema.Properties)
        {
            if (!obj.ContainsKey(name))
            {
                if (ValueStructs.Contains(name) && IsStruct(field)) obj[name] = new JsonObject();
                else if (NonOmitEmptyLists.Contains(name) && field.IsArray) obj[name] = null;
            }
            if (obj[name] is not JsonObject child || !IsStruct(field)) continue;
            // ObjectMeta.creationTimestamp is a non-pointer Time: an empty one is written as null.
            if (name == "metadata" && field.Properties.ContainsKey("creationTimestamp") && !child.ContainsKey("creationTimestamp"))
                child["creationTimestamp"] = null;
            FillStruct(child, field, depth + 1);
        }
    }

    private static bool IsStruct(SchemaNode s) =>
        s.Properties.Count > 0 && s.AdditionalProperties is null && s.MapType == MapType.Granular;
}
