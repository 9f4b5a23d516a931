using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>The field set of an applied configuration (structured-merge-diff's ToFieldSet).</summary>
public static class FieldSetBuilder
{
    public static FieldSet From(JsonNode? value, SchemaNode schema)
    {
        var set = new FieldSet();
        Visit(value, schema, set, []);
        return set;
    }

    private static void Visit(JsonNode? value, SchemaNode schema, FieldSet set, List<PathElement> path)
    {
        switch (Shape.Of(value, schema))
        {
            case ShapeKind.GranularMap:
                foreach (var (name, child) in (JsonObject)value!)
                {
                    path.Add(PathElement.Field(name));
                    var childSchema = Shape.FieldSchema(schema, name);
                    Visit(child, childSchema, set, path);
                    // A map entry is a member when it is null, an empty map, or not a named struct field;
                    // named struct fields with content are only implied by their children.
                    if (child is null || child is JsonObject { Count: 0 } || !Shape.IsStructField(schema, name))
                        set.Insert(path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case ShapeKind.AssociativeList:
                foreach (var item in (JsonArray)value!)
                {
                    path.Add(Shape.ItemElement(item, schema));
                    Visit(item, schema.Element, set, path);
                    set.Insert(path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            default:
                if (path.Count > 0) set.Insert(path);
                break;
        }
    }
}
