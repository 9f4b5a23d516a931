using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// What changed between two versions of an object (structured-merge-diff's Compare). A map entry or
/// list item that appears is added as a member together with everything under it, which is why an
/// Update entry carries <c>".": {}</c> on maps and lists it created.
/// </summary>
public sealed class Comparison
{
    public FieldSet Added { get; } = new();
    public FieldSet Modified { get; } = new();
    public FieldSet Removed { get; } = new();

    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    public FieldSet Changed => Added.Union(Modified);

    public static Comparison Of(JsonNode? lhs, JsonNode? rhs, SchemaNode schema)
    {
        var c = new Comparison();
        c.Both(lhs, rhs, schema, []);
        return c;
    }

    private void Both(JsonNode? lhs, JsonNode? rhs, SchemaNode schema, List<PathElement> path)
    {
        var (l, r) = (Shape.Of(lhs, schema), Shape.Of(rhs, schema));
        // A null map or list compares as an empty one (Go's nil slice or map).
        if (lhs is null && r != ShapeKind.Leaf) (lhs, l) = (Empty(rhs!), r);
        if (rhs is null && l != ShapeKind.Leaf) (rhs, r) = (Empty(lhs!), l);
        if (l != r || l == ShapeKind.Leaf)
        {
            if (path.Count > 0 && !JsonNode.DeepEquals(lhs, rhs)) Modified.Insert(path);
            if (l != r)
            {
                if (l != ShapeKind.Leaf) Only(lhs, schema, path, Removed, member: false);
                if (r != ShapeKind.Leaf) Only(rhs, schema, path, Added, member: false);
            }
            return;
        }
        if (l == ShapeKind.GranularMap)
        {
            JsonObject lo = (JsonObject)lhs!, ro = (JsonObject)rhs!;
            foreach (var (name, lv) in lo)
            {
                path.Add(PathElement.Field(name));
                var s = Shape.FieldSchema(schema, name);
                if (ro.TryGetPropertyValue(name, out var rv)) Both(lv, rv, s, path);
                else Only(lv, s, path, Removed, member: true);
                path.RemoveAt(path.Count - 1);
            }
            foreach (var (name, rv) in ro)
            {
                if (lo.ContainsKey(name)) continue;
                path.Add(PathElement.Field(name));
                Only(rv, Shape.FieldSchema(schema, name), path, Added, member: true);
                path.RemoveAt(path.Count - 1);
            }
            return;
        }
        var left = Shape.Index((JsonArray)lhs!, schema);
        var right = Shape.Index((JsonArray)rhs!, schema);
        foreach (var (element, lv) in left)
        {
            path.Add(element);
            if (right.TryGetValue(element, out var rv)) Both(lv, rv, schema.Element, path);
            else Only(lv, schema.Element, path, Removed, member: true);
            path.RemoveAt(path.Count - 1);
        }
        foreach (var (element, rv) in right)
        {
            if (left.ContainsKey(element)) continue;
            path.Add(element);
            Only(rv, schema.Element, path, Added, member: true);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static JsonNode Empty(JsonNode like) => like is JsonObject ? new JsonObject() : new JsonArray();

    /// <summary>A value present on one side only: it and everything under it go to <paramref name="into"/>.</summary>
    private static void Only(JsonNode? value, SchemaNode schema, List<PathElement> path, FieldSet into, bool member)
    {
        if (member && path.Count > 0) into.Insert(path);
        switch (Shape.Of(value, schema))
        {
            case ShapeKind.GranularMap:
                foreach (var (name, child) in (JsonObject)value!)
                {
                    path.Add(PathElement.Field(name));
                    Only(child, Shape.FieldSchema(schema, name), path, into, member: true);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case ShapeKind.AssociativeList:
                foreach (var item in (JsonArray)value!)
                {
                    path.Add(Shape.ItemElement(item, schema));
                    Only(item, schema.Element, path, into, member: true);
                    path.RemoveAt(path.Count - 1);
                }
                break;
        }
    }
}
