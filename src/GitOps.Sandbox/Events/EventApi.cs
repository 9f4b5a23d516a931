namespace GitOps.Sandbox.Events;

/// <summary>The two APIs that serve the one stored Event: core/v1 and events.k8s.io/v1.</summary>
public enum EventApi
{
    CoreV1,
    EventsV1,
}

public static class EventApis
{
    /// <summary>Which Event API a group and kind are, or null for any other kind.</summary>
    public static EventApi? Of(string group, string kind) => (group, kind) switch
    {
        ("", "Event") => EventApi.CoreV1,
        ("events.k8s.io", "Event") => EventApi.EventsV1,
        _ => null,
    };
}
