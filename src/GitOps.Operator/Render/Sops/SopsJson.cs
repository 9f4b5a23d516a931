using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Render.Sops;

/// <summary>JSON as SOPS's JSON store reads it: one object, keys in order, integers that fit 64 bits as ints and other numbers as floats.</summary>
internal static class SopsJson
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Load(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 100 });
        }
        catch (JsonException e)
        {
            throw new SopsException($"is not valid JSON (line {(e.LineNumber ?? 0) + 1})");
        }
        catch (ArgumentException)
        {
            throw new SopsException("has a key twice in one JSON object");
        }
        return Normalize(node) as JsonObject ?? throw new SopsException("is JSON but not an object");
    }

    /// <summary>A fresh tree whose numbers are long or double, as SOPS types them.</summary>
    internal static JsonNode? Normalize(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
            long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l)
                ? JsonValue.Create(l) : JsonValue.Create(v.GetValue<double>()),
        JsonValue v => v.DeepClone(),
        _ => node.DeepClone(),
    };

    public static string Emit(JsonObject branch) => branch.ToJsonString(Indented) + "\n";

    public static string EmitCompact(JsonObject branch) => branch.ToJsonString(Relaxed);
}
