using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

internal enum ShapeKind { Leaf, GranularMap, AssociativeList }

/// <summary>How structured-merge-diff treats one value given its schema.</summary>
internal static class Shape
{
    public static ShapeKind Of(JsonNode? value, SchemaNode schema) => value switch
    {
        JsonObject when schema.MapType == MapType.Atomic => ShapeKind.Leaf,
        JsonObject => ShapeKind.GranularMap,
        JsonArray when schema.ListType is ListType.Map or ListType.Set => ShapeKind.AssociativeList,
        _ => ShapeKind.Leaf,
    };

    public static SchemaNode FieldSchema(SchemaNode schema, string name) => schema.Field(name) ?? SchemaNode.Unknown;

    /// <summary>A named field of a struct (as opposed to a key of a map with additionalProperties).</summary>
    public static bool IsStructField(SchemaNode schema, string name) => schema.Properties.ContainsKey(name);

    /// <summary>The path element of a list item: its key for a list-map, its value for a set.</summary>
    public static PathElement ItemElement(JsonNode? item, SchemaNode listSchema)
    {
        if (listSchema.ListType != ListType.Map || item is not JsonObject obj) return PathElement.Value(item);
        var key = new JsonObject();
        foreach (var name in listSchema.ListMapKeys)
        {
            var value = obj[name]?.DeepClone() ?? KeyDefault(listSchema.Element, name);
            if (value is not null) key[name] = value;
        }
        return PathElement.Key(key);
    }

    // Built-in schemas are read without defaults; "protocol" is the only defaulted list-map key of
    // the built-in kinds (container, service and endpoint ports), and SMD fills it in from the schema.
    private static JsonNode? KeyDefault(SchemaNode element, string name) =>
        element.Properties.TryGetValue(name, out var field) && field.Default is { } d ? d.DeepClone()
        : name == "protocol" ? JsonValue.Create("TCP") : null;

    /// <summary>Items of a list indexed by their path element (the first wins on duplicates).</summary>
    public static Dictionary<PathElement, JsonNode?> Index(JsonArray list, SchemaNode listSchema)
    {
        var byElement = new Dictionary<PathElement, JsonNode?>();
        foreach (var item in list) byElement.TryAdd(ItemElement(item, listSchema), item);
        return byElement;
    }
}
