using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Health.Rules;

/// <summary>
/// A live object as CEL variables: the object itself as <c>self</c>, and each top-level field under its
/// own name (<c>metadata</c>, <c>spec</c>, <c>status</c>…), which is how Flux's expressions read it.
/// JSON becomes what the Cel package evaluates: maps, lists, strings, bools, null, int64 for whole
/// numbers and double for the rest.
/// </summary>
internal static class CelValues
{
    public static Dictionary<string, object?> Variables(JsonObject live)
    {
        var self = Map(live);
        return new Dictionary<string, object?>(self, StringComparer.Ordinal) { ["self"] = self };
    }

    private static Dictionary<string, object?> Map(JsonObject obj)
    {
        var map = new Dictionary<string, object?>(obj.Count, StringComparer.Ordinal);
        foreach (var (key, value) in obj) map[key] = From(value);
        return map;
    }

    private static object? From(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => Map(obj),
        JsonArray array => array.Select(From).ToList(),
        JsonValue value => Scalar(value),
        _ => null,
    };

    private static object? Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.TryGetValue<string>(out var s) ? s : value.ToString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => Number(value.ToJsonString()),
        _ => null,
    };

    private static object Number(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
            ? whole
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
