namespace GitOps.Operator.Status;

/// <summary>
/// Builds status.conditions as Kubernetes conventions want them: one entry per type, and
/// lastTransitionTime kept unless the status itself changed.
/// </summary>
public sealed class ConditionSet(IReadOnlyList<Condition> previous, long observedGeneration, DateTimeOffset now)
{
    public const int MaxMessageLength = 1000;

    private readonly Dictionary<string, Condition> _set = new(StringComparer.Ordinal);

    public void Set(string type, bool status, string reason, string message)
    {
        var statusText = status ? Condition.True : Condition.False;
        var old = previous.FirstOrDefault(c => c.Type == type);
        var since = old is not null && old.Status == statusText ? old.LastTransitionTime : now;
        _set[type] = new Condition(type, statusText, reason, message.Length > MaxMessageLength ? message[..MaxMessageLength] + "…" : message, since, observedGeneration);
    }

    public bool Has(string type) => _set.ContainsKey(type);

    /// <summary>The conditions in a stable order: Ready, Reconciling, Stalled, then the rest by name.</summary>
    public IReadOnlyList<Condition> ToList()
    {
        string[] first = [Reasons.Ready, Reasons.Reconciling, Reasons.Stalled];
        return [.. first.Where(_set.ContainsKey).Concat(_set.Keys.Where(k => !first.Contains(k)).Order(StringComparer.Ordinal)).Select(k => _set[k])];
    }
}
