using System.Text.Json.Nodes;
using GitOps.Sandbox.FieldManagement;

namespace GitOps.Sandbox.Tests.FieldManagement;

/// <summary>Masks what replays cannot match: server identity fields, times, Go-omitted empty values.</summary>
internal static class ObjectNormalizer
{
    public static JsonObject Normalize(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var name in new[] { "uid", "resourceVersion", "creationTimestamp", "generation" }) metadata.Remove(name);
            if (metadata["managedFields"] is JsonArray entries)
                foreach (var entry in entries.OfType<JsonObject>()) entry.Remove("time");
        }
        DropEmpty(copy);
        return copy;
    }

    /// <summary>Whether every field of <paramref name="subset"/> has the same value in <paramref name="superset"/>.</summary>
    public static bool IsSubset(JsonNode? subset, JsonNode? superset) => (subset, superset) switch
    {
        (JsonObject s, JsonObject t) => s.All(p => t.TryGetPropertyValue(p.Key, out var v) && IsSubset(p.Value, v)),
        (JsonArray s, JsonArray t) => s.Count == t.Count && s.Zip(t).All(p => IsSubset(p.First, p.Second)),
        _ => JsonNode.DeepEquals(subset, superset),
    };

    public static string Text(JsonNode? node) => node?.ToJsonString(FieldsV1.SerializerOptions) ?? "null";

    private static void DropEmpty(JsonObject obj)
    {
        foreach (var (k, v) in obj.ToList())
        {
            if (v is JsonObject o) { DropEmpty(o); if (o.Count == 0 && k is "data" or "env" or "ports") obj.Remove(k); }
            if (v is JsonArray { Count: 0 } && k is "env" or "ports") obj.Remove(k);
            if (v is JsonArray a) foreach (var item in a.OfType<JsonObject>()) DropEmpty(item);
        }
    }
}
