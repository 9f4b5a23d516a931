using GitOps.Engine.Model;

namespace GitOps.Engine.Operation;

/// <summary>Whether a reconcile goes on with an earlier sync operation, and whether that sync is a person's.</summary>
/// <param name="Continuing">An earlier reconcile started a sync of this revision whose later waves were waiting, or that failed with retries left.</param>
/// <param name="Manual">A person asked for this sync: now, or for the sync carried on.</param>
public readonly record struct Carry(bool Continuing, bool Manual);

/// <summary>What one reconcile did about syncing, as the operation and history decisions need it.</summary>
/// <param name="Revision">The commit the reconcile looked at (null when it failed before resolving one).</param>
/// <param name="Planned">A plan was made (the stages before it all succeeded).</param>
/// <param name="Failed">A stage failed before or instead of the plan (source, render, policy, a fault).</param>
/// <param name="SyncAttempted">Objects were applied or pruned.</param>
/// <param name="Errors">The per-object failures, in any order.</param>
/// <param name="WaitingForWave">What later waves wait for; null when no wave waits.</param>
public sealed record SyncOutcome(
    string? Revision, bool Planned, bool Failed, bool SyncAttempted, IReadOnlyCollection<string> Errors,
    string? WaitingForWave, int Applied, int Pruned, Carry Carry, IReadOnlyList<HookStatus>? Hooks = null);

/// <summary>
/// The pure decisions about sync operations: whether one is carried on, the next operationState, the
/// history, and when to reconcile next. Tested by tables; the reconciler only feeds them.
/// </summary>
public static class SyncOperation
{
    public const int HistoryLimit = 10;

    /// <summary>
    /// A sync whose later waves waited, or that failed with retries left, goes on as the sync it was: a
    /// rollout of a new revision, or one a person asked for (without self-heal nothing else would apply it).
    /// </summary>
    public static Carry CarryOn(OperationState previous, string revision, int retryLimit, bool manualSyncRequested)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var retriesLeft = previous.RetryCount <= retryLimit;
        var continuing = previous.SyncRevision == revision &&
            (previous.Phase == OperationState.Running || (previous.Phase == OperationState.Failed && retriesLeft));
        return new Carry(continuing, manualSyncRequested || (continuing && previous.Manual == true));
    }

    /// <summary>
    /// The last sync of this revision failed and used up its retries: an automated sync does not try it
    /// again (hooks would run again and again) until a new commit, a spec change or a person asks.
    /// </summary>
    public static bool RetriesExhausted(OperationState previous, string revision, int retryLimit)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return previous.Phase == OperationState.Failed && previous.SyncRevision == revision && previous.RetryCount > retryLimit;
    }

    /// <summary>
    /// The operationState after a reconcile: Succeeded or Failed when a sync ran; Running while later waves
    /// wait; a carried-on operation whose waits are over, with nothing left to apply, Succeeded; otherwise
    /// the previous one unchanged.
    /// </summary>
    public static OperationState Next(OperationState previous, SyncOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(outcome);
        var failed = outcome.Errors.Count > 0;
        var continuing = outcome.Carry.Continuing;
        var startedAt = continuing ? previous.StartedAt ?? now : now;
        var at = Short(outcome.Revision);
        if (outcome.WaitingForWave is { } waiting && !failed)
            return State(outcome, OperationState.Running, $"waiting: {waiting}", startedAt, null, 0, carriedOn: true);
        // A retry that had nothing to apply but still fails counts as an attempt (so retries run out).
        if (!outcome.SyncAttempted && !(failed && continuing))
        {
            if (!continuing || !outcome.Planned || outcome.Failed || failed) return previous;
            return State(outcome, OperationState.Succeeded, $"every wave applied at {at}", startedAt, now, 0, carriedOn: false);
        }
        if (!failed)
            return State(outcome, OperationState.Succeeded, $"applied {outcome.Applied}, pruned {outcome.Pruned} at {at}", startedAt, now, 0, carriedOn: false);
        var retries = (continuing ? previous.RetryCount ?? 0 : 0) + 1;
        return State(outcome, OperationState.Failed, string.Join("; ", outcome.Errors.Order(StringComparer.Ordinal)), startedAt, now, retries, carriedOn: true);
    }

    private static OperationState State(SyncOutcome outcome, string phase, string message, DateTimeOffset startedAt, DateTimeOffset? finishedAt, int retryCount, bool carriedOn) => new()
    {
        Phase = phase,
        Message = message,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
        RetryCount = retryCount,
        SyncRevision = carriedOn ? outcome.Revision : null,
        Manual = carriedOn ? outcome.Carry.Manual : null,
        Hooks = outcome.Hooks is { Count: > 0 } hooks ? hooks : null,
    };

    /// <summary>The history after a reconcile: a sync that succeeded at a revision other than the last deployed one adds an entry (the last 10 are kept).</summary>
    public static IReadOnlyList<HistoryEntry> History(IReadOnlyList<HistoryEntry> previous, SyncOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(outcome);
        var succeeded = outcome.SyncAttempted && outcome.Errors.Count == 0 && outcome.Revision is not null;
        if (!succeeded || (previous.Count > 0 && previous[^1].Revision == outcome.Revision)) return previous;
        var id = previous.Count == 0 ? 1 : previous.Max(h => h.Id) + 1;
        var next = previous.Append(new HistoryEntry(id, outcome.Revision!, now)).ToList();
        return next.Count > HistoryLimit ? next[^HistoryLimit..] : next;
    }

    /// <summary>How soon a failed automated sync is tried again; null when it is not (manual, no failure, retries used up).</summary>
    public static TimeSpan? RetryDelay(OperationState previous, SyncOutcome outcome, bool automated, RetryPolicy retry)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(retry);
        if (!automated || outcome.Errors.Count == 0 || !(outcome.SyncAttempted || outcome.Carry.Continuing)) return null;
        return retry.DelayBefore((previous.RetryCount ?? 0) + 1);
    }

    /// <summary>The first 12 characters of a commit, as messages show it.</summary>
    public static string Short(string? revision) => revision is null ? "?" : revision[..Math.Min(12, revision.Length)];
}
