using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Tests;

/// <summary>Builders for test objects: YAML in, JsonObject out, and pointer edits on copies.</summary>
internal static class TestJson
{
    public static JsonObject Obj(string yaml) => ManifestReader.Read(yaml, "test.yaml").Single().ToJson();

    public static Manifest Man(string yaml) => ManifestReader.Read(yaml, "test.yaml").Single();

    /// <summary>A copy of <paramref name="obj"/> with the value at <paramref name="pointer"/> set (parents created as objects).</summary>
    public static JsonObject With(this JsonObject obj, string pointer, JsonNode? value)
    {
        var copy = (JsonObject)obj.DeepClone();
        var tokens = pointer.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
        JsonNode node = copy;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            node = node switch
            {
                JsonArray a => a[int.Parse(tokens[i])]!,
                JsonObject o => o[tokens[i]] ??= new JsonObject(),
                _ => throw new InvalidOperationException(pointer),
            };
        }

        switch (node)
        {
            case JsonArray a when tokens[^1] == "-":
                a.Add(value);
                break;
            case JsonArray a:
                a[int.Parse(tokens[^1])] = value;
                break;
            case JsonObject o:
                o[tokens[^1]] = value;
                break;
        }

        return copy;
    }

    /// <summary>A copy without the value at <paramref name="pointer"/>.</summary>
    public static JsonObject Without(this JsonObject obj, string pointer)
    {
        var copy = (JsonObject)obj.DeepClone();
        var tokens = pointer.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
        JsonNode? node = copy;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            node = node is JsonArray a ? a[int.Parse(tokens[i])] : node?[tokens[i]];
        }

        if (node is JsonObject o) o.Remove(tokens[^1]);
        else if (node is JsonArray arr) arr.RemoveAt(int.Parse(tokens[^1]));
        return copy;
    }

    public static JsonNode? Yaml(string yaml) => Obj("apiVersion: v1\nkind: X\nmetadata: {name: x}\nv:\n" + string.Join('\n', yaml.Split('\n').Select(l => "  " + l)))["v"]?.DeepClone();
}
