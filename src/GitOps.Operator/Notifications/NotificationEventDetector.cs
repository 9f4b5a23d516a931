using GitOps.Engine.Operation;
using GitOps.Operator.Status;

namespace GitOps.Operator.Notifications;

/// <summary>What a reconcile did that the statuses alone do not say, and who it was about.</summary>
/// <param name="HealedObjects">Objects self-heal put back to Git in this reconcile (same revision, not a carried-on sync).</param>
public sealed record ReconcileFacts(string AppNamespace, string AppName, string RepoUrl, int HealedObjects, DateTimeOffset Now)
{
    public static ReconcileFacts Of(ReconcileReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.App.Namespace, report.App.Name, report.App.Spec.Source.RepoURL, report.HealedObjects, report.Now);
    }
}

/// <summary>
/// The events of one reconcile, decided from the status before it, the status it wrote and
/// <see cref="ReconcileFacts"/>: pure, so it is tested by tables. An event is reported on the change
/// (a condition that became True, a history entry that was added), never again while nothing changes.
/// </summary>
public static class NotificationEventDetector
{
    public static IReadOnlyList<NotificationEvent> Detect(ApplicationStatus before, ApplicationStatus after, ReconcileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(facts);
        var events = new List<NotificationEvent>();
        var revision = after.Sync?.Revision ?? "";
        void Add(NotificationEventKind kind, string rev, string message) => events.Add(new NotificationEvent(kind, facts.AppNamespace, facts.AppName,
            facts.RepoUrl, rev, message, after.Sync?.Status ?? SyncSummary.Unknown, after.Health?.Status ?? "Unknown", facts.Now));

        var deployedNow = after.History.Count > 0 && (before.History.Count == 0 || before.History[^1].Id != after.History[^1].Id);
        if (deployedNow)
        {
            var deployed = after.History[^1].Revision;
            Add(NotificationEventKind.Synced, deployed, $"deployed {SyncOperation.Short(deployed)}");
        }
        // A rollout that finished later (or a recovery): the commit status goes from pending (or failure) to success.
        else if (after.History.Count > 0 && after.Health?.Status == "Healthy" && before.Health?.Status is { } was && was is not ("Healthy" or "Unknown"))
            Add(NotificationEventKind.Healthy, after.History[^1].Revision, $"{SyncOperation.Short(after.History[^1].Revision)} is Healthy");
        if (NewSyncFailure(before, after) is { } failure) Add(NotificationEventKind.SyncFailed, after.OperationState?.SyncRevision ?? revision, failure);
        if (after.Health?.Status == "Degraded" && before.Health?.Status != "Degraded")
            Add(NotificationEventKind.HealthDegraded, revision, after.Health.Message);
        if (BecameTrue(before, after, Reasons.Drifted) is { } drifted) Add(NotificationEventKind.DriftDetected, revision, drifted);
        if (facts.HealedObjects > 0) Add(NotificationEventKind.DriftHealed, revision, $"{facts.HealedObjects} object(s) differed from Git and were put back");
        if (BecameTrue(before, after, Reasons.PruneBlocked) is { } blocked) Add(NotificationEventKind.PruneBlocked, revision, blocked);
        return events;
    }

    /// <summary>A sync attempt that failed now (a new Failed operation), or a stage failure that was not there before.</summary>
    private static string? NewSyncFailure(ApplicationStatus before, ApplicationStatus after)
    {
        var op = after.OperationState;
        if (op?.Phase == OperationState.Failed && op.FinishedAt != before.OperationState?.FinishedAt)
            return op.Message ?? "sync failed";
        return before.StageFailure is null && after.StageFailure is { } stage ? stage : null;
    }

    private static string? BecameTrue(ApplicationStatus before, ApplicationStatus after, string type) =>
        after.Is(type) && !before.Is(type) ? after.Find(type)!.Message : null;
}
