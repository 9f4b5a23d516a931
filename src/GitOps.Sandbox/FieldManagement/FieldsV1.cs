using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>The FieldsV1 JSON form of a <see cref="FieldSet"/>, keys in the order the apiserver writes them.</summary>
public static class FieldsV1
{
    private const string Self = ".";

    /// <summary>Serializer options that escape like Go's encoder does for these keys (<c>\"</c>, not <c>\u0022</c>).</summary>
    public static JsonSerializerOptions SerializerOptions => PathElement.Compact;

    public static JsonObject Write(FieldSet set)
    {
        var json = new JsonObject();
        foreach (var (element, child) in set.Children)
        {
            var node = Write(child);
            if (child.IsMember && child.Children.Count > 0)
            {
                var withSelf = new JsonObject { [Self] = new JsonObject() };
                foreach (var (k, v) in node.ToList()) { node.Remove(k); withSelf[k] = v; }
                node = withSelf;
            }
            json[element.Token] = node;
        }
        return json;
    }

    public static FieldSet Read(JsonObject? json)
    {
        var set = new FieldSet();
        if (json is not null) Fill(set, json);
        return set;
    }

    private static void Fill(FieldSet node, JsonObject json)
    {
        foreach (var (token, value) in json)
        {
            if (token == Self) { node.MarkMember(); continue; }
            var child = node.Child(PathElement.Parse(token));
            if (value is JsonObject { Count: > 0 } inner) Fill(child, inner);
            else child.MarkMember();
        }
    }
}
