using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>Small helpers over System.Text.Json.Nodes used by defaulting and validation.</summary>
internal static class Json
{
    public static JsonObject? Obj(JsonNode? parent, string name) => parent is JsonObject o ? o[name] as JsonObject : null;
    public static JsonArray? Arr(JsonNode? parent, string name) => parent is JsonObject o ? o[name] as JsonArray : null;

    public static string? Str(JsonNode? parent, string name) =>
        parent is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool? Bool(JsonNode? parent, string name) =>
        parent is JsonObject o && o[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static long? Long(JsonNode? parent, string name) =>
        parent is JsonObject o && o[name] is JsonValue v ? AsLong(v) : null;

    public static long? AsLong(JsonValue v)
    {
        if (v.GetValueKind() != JsonValueKind.Number) return null;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<JsonElement>(out var e) && e.TryGetInt64(out var el)) return el;
        var text = v.ToJsonString();
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    /// <summary>True when the field is absent or null (Go's zero value after decoding).</summary>
    public static bool Missing(JsonObject o, string name) => !o.TryGetPropertyValue(name, out var v) || v is null;

    /// <summary>True when the field is absent, null, "" (a string zero value).</summary>
    public static bool MissingOrEmpty(JsonObject o, string name) =>
        Missing(o, name) || (o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0);

    /// <summary>Sets <paramref name="name"/> when it is absent, null or an empty string.</summary>
    public static void Default(JsonObject o, string name, JsonNode value)
    {
        if (MissingOrEmpty(o, name)) o[name] = value;
    }

    /// <summary>The object field <paramref name="name"/>, created when absent or null.</summary>
    public static JsonObject Ensure(JsonObject o, string name)
    {
        if (o[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        o[name] = created;
        return created;
    }

    public static IEnumerable<JsonObject> Objects(JsonArray? array) =>
        array is null ? [] : array.OfType<JsonObject>();
}
