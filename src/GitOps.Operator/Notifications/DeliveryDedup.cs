using System.Collections.Concurrent;

namespace GitOps.Operator.Notifications;

/// <summary>
/// Remembers which (Notification, Application, event, revision) went out, for a window: a status write
/// that conflicted, or an operator that reconciles the same change twice, sends it once.
/// </summary>
public sealed class DeliveryDedup(TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public static string Key(string notification, NotificationEvent e) =>
        string.Join('\u001f', notification, e.AppNamespace, e.AppName, e.Name, e.Revision);

    /// <summary>True the first time a key is seen within the window (and records it); false for a repeat.</summary>
    public bool FirstTime(string key)
    {
        var now = time.GetUtcNow();
        if (_seen.Count > 10_000) Forget(now);
        var added = false;
        _seen.AddOrUpdate(key, _ => { added = true; return now; }, (_, at) =>
        {
            if (now - at < window) return at;
            added = true;
            return now;
        });
        return added;
    }

    /// <summary>Forgets a key whose delivery failed (its Secret missing, the target refusing it): the next time the event happens it is sent again, not dropped as a repeat.</summary>
    public void Release(string key) => _seen.TryRemove(key, out _);

    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, at) in _seen)
            if (now - at >= window) _seen.TryRemove(key, out _);
    }
}
