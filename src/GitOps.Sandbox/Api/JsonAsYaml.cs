using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api;

/// <summary>
/// A body in JSON is also YAML (flow style), and most apply bodies are JSON: this reads such a
/// body into exactly the tree <see cref="YamlJson"/> would, without the YAML parser. A string is a
/// double-quoted scalar (the same escapes), a number a plain scalar resolved by the same rules.
/// Anything it is not sure of (not JSON, a duplicated key, nesting deeper than the reader's limit)
/// answers false, and the YAML parser reads the body as before.
/// </summary>
internal static class JsonAsYaml
{
    public static bool TryRead(string text, out JsonNode? node)
    {
        node = null;
        var start = text.AsSpan().TrimStart(" \t\r\n");
        if (start.IsEmpty || start[0] is not ('{' or '[')) return false;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        try
        {
            if (!reader.Read() || !TryReadValue(ref reader, out node)) return false;
            return !reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, out JsonNode? node)
    {
        node = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    if (obj.ContainsKey(key) || !reader.Read() || !TryReadValue(ref reader, out var value)) return false;
                    obj[key] = value;
                }
                node = obj;
                return reader.TokenType == JsonTokenType.EndObject;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryReadValue(ref reader, out var item)) return false;
                    array.Add(item);
                }
                node = array;
                return reader.TokenType == JsonTokenType.EndArray;
            case JsonTokenType.String:
                node = JsonValue.Create(reader.GetString()!);
                return true;
            case JsonTokenType.Number:
                node = YamlJson.ResolvePlain(Encoding.UTF8.GetString(reader.ValueSpan));
                return true;
            case JsonTokenType.True:
                node = JsonValue.Create(true);
                return true;
            case JsonTokenType.False:
                node = JsonValue.Create(false);
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return false;
        }
    }
}
