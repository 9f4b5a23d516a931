namespace GitOps.Operator.Notifications;

/// <summary>How notifications are queued, sent, retried and limited. Every timeout and interval is here.</summary>
/// <param name="QueueCapacity">Events and deliveries waiting; a new event finding the queue full is dropped (and counted).</param>
/// <param name="Workers">Deliveries sent at once; a receiver that hangs holds one for at most <paramref name="RequestTimeout"/>.</param>
/// <param name="MaxAttempts">Tries of one delivery (the first included) on a 5xx, 429, timeout or connection error; a 4xx is not retried.</param>
/// <param name="RetryBase">Delay before the second try, doubled for each one after, up to <paramref name="RetryMax"/>.</param>
/// <param name="DedupWindow">How long one (Notification, Application, event, revision) is remembered as sent.</param>
/// <param name="RatePerMinute">Deliveries one Notification may send per minute (token bucket, <paramref name="Burst"/> at once); the rest wait.</param>
/// <param name="StoreSyncTimeout">How long a worker waits for the Notification cache to fill before dropping an event.</param>
/// <param name="CrdRecheck">How often a missing Notification CRD is looked for again (only when there is an event to send).</param>
public sealed record NotificationOptions(
    int QueueCapacity, int Workers, TimeSpan RequestTimeout, int MaxAttempts, TimeSpan RetryBase, TimeSpan RetryMax,
    TimeSpan DedupWindow, double RatePerMinute, int Burst, TimeSpan StoreSyncTimeout, TimeSpan CrdRecheck)
{
    public static NotificationOptions Default { get; } = new(
        QueueCapacity: 1000, Workers: 4, RequestTimeout: TimeSpan.FromSeconds(10), MaxAttempts: 5,
        RetryBase: TimeSpan.FromSeconds(2), RetryMax: TimeSpan.FromMinutes(2), DedupWindow: TimeSpan.FromMinutes(30),
        RatePerMinute: 30, Burst: 10, StoreSyncTimeout: TimeSpan.FromSeconds(30), CrdRecheck: TimeSpan.FromMinutes(1));

    /// <summary>Watch Notifications in this namespace only (the operator's --namespace); null for all.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>The wait before try number <paramref name="attempt"/> (2 for the first retry).</summary>
    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(RetryMax.Ticks, RetryBase.Ticks * (1L << Math.Clamp(attempt - 2, 0, 30))));
}
