using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// Merges an applied configuration into a live object: maps field by field, list-maps by key and
/// sets by value (live order first, new items appended), atomic values and scalars replaced.
/// </summary>
internal static class ObjectMerger
{
    public static JsonNode? Merge(JsonNode? live, JsonNode? applied, SchemaNode schema)
    {
        var (l, a) = (Shape.Of(live, schema), Shape.Of(applied, schema));
        if (l != a || a == ShapeKind.Leaf) return applied?.DeepClone();
        if (a == ShapeKind.GranularMap)
        {
            var result = (JsonObject)live!.DeepClone();
            foreach (var (name, value) in (JsonObject)applied!)
            {
                var merged = Merge(result[name], value, Shape.FieldSchema(schema, name));
                result[name] = merged;
            }
            return result;
        }
        var items = new List<(PathElement Element, JsonNode? Item)>();
        foreach (var item in (JsonArray)live!) items.Add((Shape.ItemElement(item, schema), item?.DeepClone()));
        foreach (var item in (JsonArray)applied!)
        {
            var element = Shape.ItemElement(item, schema);
            var at = items.FindIndex(i => i.Element == element);
            if (at < 0) items.Add((element, item?.DeepClone()));
            else items[at] = (element, Merge(items[at].Item, item, schema.Element));
        }
        return new JsonArray(items.Select(i => i.Item).ToArray());
    }
}
