using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Decoding;

/// <summary>
/// JSON text as kube-apiserver's decoders read it (sigs.k8s.io/json): the last of duplicate keys
/// wins, and the strict decoder reports each duplicate ("duplicate field") and, decoding into a
/// Go struct, each undeclared field ("unknown field") by its path, in document order.
/// </summary>
internal static class StrictJson
{
    /// <summary>
    /// Parses <paramref name="text"/> as JsonNode.Parse does (same syntax errors), except that the
    /// last of duplicate keys wins instead of the object refusing them when read.
    /// </summary>
    public static JsonNode? Parse(string text)
    {
        var node = JsonNode.Parse(text);
        if (Duplicates(text).Count == 0) return node;
        using var doc = JsonDocument.Parse(text);
        return LastWins(doc.RootElement);
    }

    /// <summary>Duplicate fields anywhere (a decode into map[string]interface{}), in document order.</summary>
    public static IReadOnlyList<string> Duplicates(string text) => Scan(text, null);

    /// <summary>
    /// Unknown and duplicate fields of a decode into a kind's Go struct, in document order; an
    /// undeclared value is skipped whole, and each message appears once.
    /// </summary>
    public static IReadOnlyList<string> TypedErrors(string text, SchemaNode schema) => Scan(text, schema);

    private static List<string> Scan(string text, SchemaNode? schema)
    {
        var errors = new Errors();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        try
        {
            if (reader.Read()) Walk(ref reader, "", schema, isResource: true, errors);
        }
        catch (JsonException) { }
        return errors.List;
    }

    private sealed class Errors
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        public List<string> List { get; } = [];

        public void Add(string kind, string path)
        {
            var message = $"{kind} field {GoFormat.Quote(path)}";
            if (_seen.Add(message)) List.Add(message);
        }
    }

    // schema null: untyped (every duplicate counts, everything is walked).
    private static void Walk(ref Utf8JsonReader r, string path, SchemaNode? schema, bool isResource, Errors errors)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.StartObject:
                var keys = new HashSet<string>(StringComparer.Ordinal);
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var name = r.GetString()!;
                    var child = DeclaredFields.Child(path, name);
                    r.Read();
                    var sub = schema is null ? null : DeclaredFields.Of(schema, name, isResource, builtin: true);
                    if (schema is not null && sub is null)
                    {
                        errors.Add("unknown", child);
                        r.Skip();
                        continue;
                    }
                    if (!keys.Add(name)) errors.Add("duplicate", child);
                    if (sub is not null && !DeclaredFields.IsChecked(sub)) r.Skip();
                    else Walk(ref r, child, sub, sub?.EmbeddedResource == true, errors);
                }
                break;
            case JsonTokenType.StartArray:
                var items = schema?.Items;
                var index = 0;
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    if (schema is not null && (items is null || !DeclaredFields.IsChecked(items))) r.Skip();
                    else Walk(ref r, $"{path}[{index}]", items, items?.EmbeddedResource == true, errors);
                    index++;
                }
                break;
        }
    }

    private static JsonNode? LastWins(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var p in e.EnumerateObject()) obj[p.Name] = LastWins(p.Value);
                return obj;
            case JsonValueKind.Array:
                return new JsonArray([.. e.EnumerateArray().Select(LastWins)]);
            case JsonValueKind.Null:
                return null;
            default:
                return JsonNode.Parse(e.GetRawText());
        }
    }
}
