using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Decoding;

/// <summary>Where an unknown field was found: apiextensions reports each place in its own pass.</summary>
internal enum UnknownFieldPlace { Metadata, Schema, EmbeddedMetadata }

internal readonly record struct UnknownField(string Path, UnknownFieldPlace Place);

/// <summary>
/// The fields of a decoded object its schema does not declare: what a typed decode drops from a
/// built-in kind, and what pruning (plus ObjectMeta coercion) drops from a custom resource.
/// </summary>
internal static class UnknownFields
{
    /// <summary>
    /// Removes the undeclared fields of <paramref name="obj"/> and returns them, each object's
    /// fields in key order (as the JSON of a Go map lists them).
    /// </summary>
    public static List<UnknownField> Drop(JsonObject obj, SchemaNode schema, bool builtin)
    {
        var found = new List<UnknownField>();
        WalkObject(obj, schema, "", isResource: true, builtin, UnknownFieldPlace.Schema, found);
        return found;
    }

    /// <summary>
    /// The paths in the order the decoder reports them: a built-in kind's in key order; a custom
    /// resource's metadata first, then the pruned fields sorted, then embedded resources' metadata.
    /// </summary>
    public static IEnumerable<string> InReportOrder(IReadOnlyList<UnknownField> found, bool custom) => !custom
        ? found.Select(f => f.Path)
        : found.Where(f => f.Place == UnknownFieldPlace.Metadata).Select(f => f.Path)
            .Concat(found.Where(f => f.Place == UnknownFieldPlace.Schema).Select(f => f.Path).Order(StringComparer.Ordinal))
            .Concat(found.Where(f => f.Place == UnknownFieldPlace.EmbeddedMetadata).Select(f => f.Path));

    /// <summary>
    /// structured-merge-diff's check of an applied object: each object's first undeclared field (in
    /// key order; the walk of that object stops there), as <c>.spec.x: field not declared in schema</c>,
    /// list-map items named by their keys (<c>[name="app"]</c>).
    /// </summary>
    public static IReadOnlyList<string> NotDeclaredForApply(JsonObject obj, SchemaNode schema, bool builtin)
    {
        var errors = new List<string>();
        ApplyWalkObject(obj, schema, "", isResource: true, builtin, errors);
        return errors;
    }

    private static void WalkNode(JsonNode? value, SchemaNode schema, string path, bool builtin, UnknownFieldPlace place, List<UnknownField> found)
    {
        if (!DeclaredFields.IsChecked(schema)) return;
        switch (value)
        {
            case JsonObject o:
                WalkObject(o, schema, path, schema.EmbeddedResource, builtin, place, found);
                break;
            case JsonArray a when schema.Items is { } items:
                for (var i = 0; i < a.Count; i++) WalkNode(a[i], items, $"{path}[{i}]", builtin, place, found);
                break;
        }
    }

    private static void WalkObject(JsonObject o, SchemaNode schema, string path, bool isResource, bool builtin, UnknownFieldPlace place, List<UnknownField> found)
    {
        foreach (var key in o.Select(p => p.Key).Order(StringComparer.Ordinal).ToList())
        {
            var child = DeclaredFields.Child(path, key);
            var sub = DeclaredFields.Of(schema, key, isResource, builtin);
            if (sub is null)
            {
                found.Add(new UnknownField(child, place));
                o.Remove(key);
            }
            else if (isResource && key == "metadata")
                WalkNode(o[key], sub, child, builtin: true, path.Length == 0 ? UnknownFieldPlace.Metadata : UnknownFieldPlace.EmbeddedMetadata, found);
            else WalkNode(o[key], sub, child, builtin, place, found);
        }
    }

    private static void ApplyWalkNode(JsonNode? value, SchemaNode schema, string path, bool builtin, List<string> errors)
    {
        if (!DeclaredFields.IsChecked(schema)) return;
        switch (value)
        {
            case JsonObject o:
                ApplyWalkObject(o, schema, path, schema.EmbeddedResource, builtin, errors);
                break;
            case JsonArray a when schema.Items is { } items:
                for (var i = 0; i < a.Count; i++) ApplyWalkNode(a[i], items, path + ListElement(schema, a[i], i), builtin, errors);
                break;
        }
    }

    private static void ApplyWalkObject(JsonObject o, SchemaNode schema, string path, bool isResource, bool builtin, List<string> errors)
    {
        foreach (var key in o.Select(p => p.Key).Order(StringComparer.Ordinal))
        {
            var sub = DeclaredFields.Of(schema, key, isResource, builtin);
            if (sub is null)
            {
                errors.Add($"{path}.{key}: field not declared in schema");
                return;
            }
            ApplyWalkNode(o[key], sub, $"{path}.{key}", builtin || (isResource && key == "metadata"), errors);
        }
    }

    // fieldpath.PathElement.String(): a list-map item by its key fields (sorted, values as value.ToString), else its index.
    private static string ListElement(SchemaNode list, JsonNode? item, int index)
    {
        if (list.ListType != ListType.Map || list.ListMapKeys.Count == 0 || item is not JsonObject o || !list.ListMapKeys.All(o.ContainsKey))
            return $"[{index}]";
        return "[" + string.Join(",", list.ListMapKeys.Order(StringComparer.Ordinal).Select(k => $"{k}={KeyValue(o[k])}")) + "]";
    }

    private static string KeyValue(JsonNode? v) => v is JsonValue jv && jv.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? GoFormat.Quote(jv.GetValue<string>())
        : GoFormat.Plain(v);
}
