namespace GitOps.Engine.Operation;

/// <summary>When to reconcile an Application again after a reconcile that got as far as a plan.</summary>
public static class NextRun
{
    /// <summary>Waiting waves are re-queued by their objects' watch events; this is the fallback.</summary>
    public static readonly TimeSpan WaveRecheck = TimeSpan.FromSeconds(5);

    /// <summary>A drift hold is looked at again just after it ends.</summary>
    public static readonly TimeSpan AfterHold = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The soonest of: the (jittered) interval, just after the first drift hold ends, the wave re-check
    /// while a wave waits, and the retry delay of a failed automated sync. Never negative.
    /// </summary>
    public static TimeSpan After(TimeSpan interval, DateTimeOffset now, IEnumerable<DateTimeOffset> holdEnds, bool waveWaiting, TimeSpan? retryDelay)
    {
        ArgumentNullException.ThrowIfNull(holdEnds);
        var next = interval;
        foreach (var end in holdEnds)
            if (end - now + AfterHold < next) next = end - now + AfterHold;
        if (waveWaiting && WaveRecheck < next) next = WaveRecheck;
        if (retryDelay is { } delay && delay > TimeSpan.Zero && delay < next) next = delay;
        return next < TimeSpan.Zero ? TimeSpan.Zero : next;
    }
}
