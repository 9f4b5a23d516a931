using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Model;

/// <summary>
/// JSON parsing that finds every problem at once: <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/>
/// reports a duplicate key only when that object is first read, as an <see cref="ArgumentException"/>
/// deep inside whoever reads it. Here it is a <see cref="JsonException"/> from the parse itself.
/// </summary>
public static class StrictJson
{
    public static JsonNode? Parse(string text) => Checked(() => JsonNode.Parse(text));

    public static JsonNode? Parse(ReadOnlySpan<byte> utf8) => Checked(JsonNode.Parse(utf8));

    private static JsonNode? Checked(Func<JsonNode?> parse) => Checked(parse());

    private static JsonNode? Checked(JsonNode? node)
    {
        try
        {
            Materialize(node, 0);
            return node;
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"duplicate key: {e.Message}");
        }
    }

    private static void Materialize(JsonNode? node, int depth)
    {
        if (depth > ManifestReader.MaxDepth) throw new JsonException($"nests deeper than {ManifestReader.MaxDepth} levels");
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o) Materialize(value, depth + 1);
                break;
            case JsonArray a:
                foreach (var item in a) Materialize(item, depth + 1);
                break;
        }
    }
}
