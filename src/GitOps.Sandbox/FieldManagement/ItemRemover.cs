using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// Removes the member paths of a set from an object (a removed path takes its subtree). Maps and
/// lists emptied by the removal are dropped too: the apiserver never shows them (omitempty).
/// </summary>
internal static class ItemRemover
{
    public static void Remove(JsonObject root, FieldSet toRemove, SchemaNode schema) => RemoveIn(root, toRemove, schema);

    /// <summary>Returns true when <paramref name="node"/> became empty because of a removal.</summary>
    private static bool RemoveIn(JsonNode? node, FieldSet set, SchemaNode schema)
    {
        var removedAny = false;
        switch (Shape.Of(node, schema))
        {
            case ShapeKind.GranularMap:
                var obj = (JsonObject)node!;
                foreach (var (element, child) in set.Children)
                {
                    if (element.Kind != PathElementKind.Field || !obj.TryGetPropertyValue(element.FieldName, out var value)) continue;
                    if (child.IsMember || RemoveIn(value, child, Shape.FieldSchema(schema, element.FieldName)))
                    {
                        obj.Remove(element.FieldName);
                        removedAny = true;
                    }
                }
                return removedAny && obj.Count == 0;
            case ShapeKind.AssociativeList:
                var list = (JsonArray)node!;
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (!set.Children.TryGetValue(Shape.ItemElement(list[i], schema), out var child)) continue;
                    if (child.IsMember || RemoveIn(list[i], child, schema.Element))
                    {
                        list.RemoveAt(i);
                        removedAny = true;
                    }
                }
                return removedAny && list.Count == 0;
            default:
                return false;
        }
    }
}
