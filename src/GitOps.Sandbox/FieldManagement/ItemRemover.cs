using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// Removes the member paths of a set from an object; a removed path takes its subtree. Maps and
/// lists left empty stay (as in structured-merge-diff): a built-in kind's omitempty hides them when
/// serialized, and whether they still exist decides ownership (<c>f:data: {}</c> stays owned).
/// </summary>
internal static class ItemRemover
{
    public static void Remove(JsonNode? node, FieldSet set, SchemaNode schema)
    {
        switch (Shape.Of(node, schema))
        {
            case ShapeKind.GranularMap:
                var obj = (JsonObject)node!;
                foreach (var (element, child) in set.Children)
                {
                    if (element.Kind != PathElementKind.Field || !obj.TryGetPropertyValue(element.FieldName, out var value)) continue;
                    if (child.IsMember) obj.Remove(element.FieldName);
                    else Remove(value, child, Shape.FieldSchema(schema, element.FieldName));
                }
                break;
            case ShapeKind.AssociativeList:
                var list = (JsonArray)node!;
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (!set.Children.TryGetValue(Shape.ItemElement(list[i], schema), out var child)) continue;
                    if (child.IsMember) list.RemoveAt(i);
                    else Remove(list[i], child, schema.Element);
                }
                break;
        }
    }
}
