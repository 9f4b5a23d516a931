using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Api;

/// <summary>
/// What Go's encoding/json "omitempty" does when kube-apiserver writes a built-in object: empty
/// maps (labels, data, annotations) and empty lists disappear. Structs stay, even when empty
/// (securityContext: {}, emptyDir: {}), so only map- and list-typed fields are dropped, except
/// the empty ones of fields without omitempty that are kept (<see cref="GoEncoding.KeptEmptyCollections"/>).
/// </summary>
public static class GoOmitEmpty
{
    public static void Normalize(JsonObject obj, SchemaNode schema, IReadOnlySet<JsonNode>? kept = null)
    {
        foreach (var (name, value) in obj.ToList())
        {
            var field = schema.Properties.GetValueOrDefault(name);
            if (field is null) continue;
            switch (value)
            {
                case JsonObject o when field.AdditionalProperties is not null && field.Properties.Count == 0:
                    if (o.Count == 0 && kept?.Contains(o) != true) obj.Remove(name);
                    break;
                case JsonObject o:
                    Normalize(o, field, kept);
                    break;
                case JsonArray { Count: 0 } a when name != "containers":
                    if (kept?.Contains(a) != true) obj.Remove(name);
                    break;
                case JsonArray a when field.Items is { } items:
                    foreach (var element in a.OfType<JsonObject>()) Normalize(element, items, kept);
                    break;
            }
        }
    }
}
