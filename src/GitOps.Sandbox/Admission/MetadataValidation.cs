using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>ValidateObjectMeta (apimachinery) for the fields a create can get wrong.</summary>
internal static class MetadataValidation
{
    public static IEnumerable<StatusCause> ObjectMeta(JsonObject? metadata, Func<string, bool, List<string>> nameRule, string path = "metadata")
    {
        var generateName = Json.Str(metadata, "generateName") ?? "";
        if (generateName.Length > 0)
            foreach (var m in nameRule(generateName, true)) yield return FieldErrors.InvalidString(path + ".generateName", generateName, m);
        var name = Json.Str(metadata, "name") ?? "";
        if (name.Length == 0) yield return FieldErrors.Required(path + ".name", "name or generateName is required");
        else foreach (var m in nameRule(name, false)) yield return FieldErrors.InvalidString(path + ".name", name, m);
        var ns = Json.Str(metadata, "namespace") ?? "";
        if (ns.Length > 0)
            foreach (var m in NameRules.IsDns1123Label(ns)) yield return FieldErrors.InvalidString(path + ".namespace", ns, m);
        foreach (var c in TemplateMeta(metadata, path)) yield return c;
        foreach (var f in Json.Arr(metadata, "finalizers") ?? [])
        {
            var s = f?.GetValue<string>() ?? "";
            foreach (var m in NameRules.IsQualifiedName(s)) yield return FieldErrors.InvalidString(path + ".finalizers", s, m);
        }
    }

    /// <summary>Labels and annotations (all that is validated of a pod template's metadata).</summary>
    public static IEnumerable<StatusCause> TemplateMeta(JsonObject? metadata, string path) =>
        NameRules.ValidateLabels(Json.Obj(metadata, "labels"), path + ".labels")
            .Concat(NameRules.ValidateAnnotations(Json.Obj(metadata, "annotations"), path + ".annotations"));
}
