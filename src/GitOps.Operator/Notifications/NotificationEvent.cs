namespace GitOps.Operator.Notifications;

/// <summary>What happened to an Application that a Notification can ask to hear about.</summary>
public enum NotificationEventKind
{
    /// <summary>A new revision was deployed (a sync succeeded at a revision other than the last deployed one).</summary>
    Synced,
    /// <summary>A sync failed, or a stage before it (source, render) did.</summary>
    SyncFailed,
    /// <summary>The Application's health became Degraded.</summary>
    HealthDegraded,
    /// <summary>Live objects differ from Git and are not healed (self-heal off, or held).</summary>
    DriftDetected,
    /// <summary>Live objects differed from Git and self-heal put them back.</summary>
    DriftHealed,
    /// <summary>A prune was held back (pruneLimit) and waits for a person.</summary>
    PruneBlocked,
    /// <summary>The deployed revision became Healthy after a rollout (or a Degraded spell) that was not.</summary>
    Healthy,
}

/// <summary>The names a Notification's spec.events uses for each kind (kebab-case, as in the docs).</summary>
public static class NotificationEventNames
{
    private static readonly Dictionary<NotificationEventKind, string> Names = new()
    {
        [NotificationEventKind.Synced] = "synced",
        [NotificationEventKind.SyncFailed] = "sync-failed",
        [NotificationEventKind.HealthDegraded] = "health-degraded",
        [NotificationEventKind.DriftDetected] = "drift-detected",
        [NotificationEventKind.DriftHealed] = "drift-healed",
        [NotificationEventKind.PruneBlocked] = "prune-blocked",
        [NotificationEventKind.Healthy] = "healthy",
    };

    public static IEnumerable<string> All => Names.Values;

    public static string Of(NotificationEventKind kind) => Names[kind];

    public static bool TryParse(string name, out NotificationEventKind kind)
    {
        foreach (var (k, n) in Names)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        kind = default;
        return false;
    }
}

/// <summary>
/// One thing that happened to one Application in one reconcile, with what a receiver needs to show it:
/// the commit it is about (<see cref="Revision"/>, empty when none is known), the repository, and the
/// sync and health the status now says.
/// </summary>
public sealed record NotificationEvent(
    NotificationEventKind Kind, string AppNamespace, string AppName, string RepoUrl, string Revision,
    string Message, string SyncStatus, string HealthStatus, DateTimeOffset At)
{
    public string Name => NotificationEventNames.Of(Kind);

    /// <summary>Whether the event reports a success (a commit status of success), a failure, or neither.</summary>
    public bool IsFailure => Kind is NotificationEventKind.SyncFailed or NotificationEventKind.HealthDegraded or NotificationEventKind.PruneBlocked;

    public override string ToString() => $"{Name} {AppNamespace}/{AppName} at {Engine.Operation.SyncOperation.Short(Revision)}";
}
