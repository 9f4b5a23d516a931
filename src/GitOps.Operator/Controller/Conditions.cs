using System.Text.Json.Nodes;

namespace GitOps.Operator.Controller;

/// <summary>
/// Builds status.conditions as Kubernetes conventions want them: one entry per type, and
/// lastTransitionTime kept unless the status itself changed.
/// </summary>
public sealed class Conditions(JsonArray? previous, long observedGeneration, string now)
{
    private readonly Dictionary<string, JsonObject> _set = new(StringComparer.Ordinal);

    public void Set(string type, bool status, string reason, string message)
    {
        var statusText = status ? "True" : "False";
        var old = previous?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        var since = old is not null && (string?)old["status"] == statusText ? (string?)old["lastTransitionTime"] ?? now : now;
        _set[type] = new JsonObject
        {
            ["type"] = type,
            ["status"] = statusText,
            ["reason"] = reason,
            ["message"] = message.Length > 1000 ? message[..1000] + "…" : message,
            ["lastTransitionTime"] = since,
            ["observedGeneration"] = observedGeneration,
        };
    }

    public bool Has(string type) => _set.ContainsKey(type);

    /// <summary>The conditions in a stable order: Ready, Reconciling, Stalled, then the rest by name.</summary>
    public JsonArray ToJson()
    {
        string[] first = [Reasons.Ready, Reasons.Reconciling, Reasons.Stalled];
        var ordered = first.Where(_set.ContainsKey).Concat(_set.Keys.Where(k => !first.Contains(k)).Order(StringComparer.Ordinal));
        return new JsonArray([.. ordered.Select(k => (JsonNode)_set[k])]);
    }
}
