using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Operation;
using GitOps.Engine.Plan;
using GitOps.Operator.Apply;

namespace GitOps.Operator.Status;

/// <summary>
/// Builds an Application's status from what a reconcile found: sync and health, kstatus-style
/// Ready/Reconciling/Stalled plus the stage conditions, per-resource status, inventory,
/// operationState and history (the last 10).
/// </summary>
public static class StatusBuilder
{
    public static ApplicationStatus Build(ReconcileReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var previous = r.Previous;
        var conditions = new ConditionSet(previous.Conditions, r.App.Generation, r.Now);
        var tasks = r.Plan?.Tasks.ToList() ?? [];
        var errors = r.Errors;
        var outOfSync = r.Failure is not null || errors.Count > 0 || tasks.Any(IsOutOfSync);
        // A failure before any plan: whether Git and the cluster agree is not known now, so keep what was known.
        var syncStatus = r.Failure is { StateUnknown: true } ? SyncSummary.Unknown
            : r.Failure is not null && r.Plan is null
            ? previous.Sync?.Status ?? SyncSummary.Unknown
            : outOfSync ? SyncSummary.OutOfSync : SyncSummary.Synced;
        var health = r.Suspended ? HealthStatus.Suspended("suspended")
            : r.Failure is { StateUnknown: true } unknown ? new HealthStatus(HealthCode.Unknown, unknown.Message)
            : r.Health?.Overall;
        SetConditions(r, conditions, tasks, errors, syncStatus, health);
        var outcome = r.Outcome;
        var handled = previous.HandledRequests ?? new HandledRequests();
        if (r.HandledSyncRequest is not null) handled = handled with { SyncRequestedAt = r.HandledSyncRequest };
        if (r.HandledRefreshRequest is not null) handled = handled with { RefreshRequestedAt = r.HandledRefreshRequest };
        var revision = r.Revision ?? previous.Sync?.Revision ?? "";
        var revisionMessage = r.Snapshot is { } snapshot && snapshot.Commit == revision ? Subject(snapshot.Message)
            : revision == previous.Sync?.Revision ? previous.Sync?.RevisionMessage : null;
        return new ApplicationStatus
        {
            ObservedGeneration = r.App.Generation,
            Sync = new SyncSummary(syncStatus, revision) { RevisionMessage = revisionMessage },
            Health = health is null ? previous.Health ?? HealthSummary.Unknown : new HealthSummary(health.Code.ToString(), health.Message),
            Conditions = conditions.ToList(),
            Resources = r.Plan is null ? previous.Resources : Resources(r, tasks, errors),
            Inventory = r.Inventory is { } inventory ? [.. inventory.ToEntries()] : previous.Inventory,
            PolicyViolations = PolicyViolations(r) is { Count: > 0 } violations ? violations : null,
            OperationState = SyncOperation.Next(previous.OperationState ?? OperationState.None, outcome, r.Now),
            History = [.. SyncOperation.History(previous.History, outcome, r.Now)
                .Select(h => h.Message is null && revisionMessage is not null && h.Revision == revision ? h with { Message = revisionMessage } : h)],
            HandledRequests = handled.SyncRequestedAt is null && handled.RefreshRequestedAt is null ? null : handled,
        };
    }

    /// <summary>
    /// Every Project or guardrail rule the rendered objects (or the Application) break, per object;
    /// kept from before when this reconcile did not check.
    /// </summary>
    internal static IReadOnlyList<PolicyViolationEntry>? PolicyViolations(ReconcileReport r)
    {
        if (r.Violations is null && r.Failure is not { Condition: Reasons.PolicyViolation }) return r.Previous.PolicyViolations;
        var list = new List<PolicyViolationEntry>();
        if (r.Failure is { Condition: Reasons.PolicyViolation } failure && r.Violations is null)
            list.Add(new PolicyViolationEntry(failure.Reason, failure.Message, "Block"));
        foreach (var v in (r.Violations ?? Engine.Policy.PolicyReport.Empty).Violations)
            list.Add(new PolicyViolationEntry(v.Rule, v.Message, v.Action.ToString())
            {
                Group = v.Key?.Group, Kind = v.Key?.Kind, Namespace = v.Key?.Namespace, Name = v.Key?.Name,
            });
        return list;
    }

    /// <summary>Whether the violations found now differ from those in the status (Events only on a change).</summary>
    public static bool ViolationsChanged(ReconcileReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var now = PolicyViolations(r) ?? [];
        var before = r.Previous.PolicyViolations ?? [];
        return !now.SequenceEqual(before);
    }

    private static bool IsOutOfSync(SyncTask t) => t.Action switch
    {
        SyncAction.Hold => true,
        SyncAction.Skip => t.Reason is PlanReasons.OutOfSync or PlanReasons.PruneBlocked or PlanReasons.SharedResource or PlanReasons.NotCompared or PlanReasons.WaitingForWave,
        _ => false,
    };

    private static void SetConditions(ReconcileReport r, ConditionSet conditions, List<SyncTask> tasks, IReadOnlyDictionary<ResourceKey, string> errors, string syncStatus, HealthStatus? health)
    {
        if (r.Suspended)
        {
            conditions.Set(Reasons.Ready, false, Reasons.Suspended, "reconciliation is suspended (spec.suspend)");
            return;
        }
        if (r.ClusterConnection is { } connection && r.Failure?.Condition != Reasons.ClusterConnected)
            conditions.Set(Reasons.ClusterConnected, true, Reasons.Connected, connection);
        if (r.Failure is { } failure)
        {
            conditions.Set(failure.Condition, failure.ConditionTrue, failure.Reason, failure.Message);
            conditions.Set(Reasons.Ready, false, failure.Reason, failure.Message);
            if (failure.Stalled) conditions.Set(Reasons.Stalled, true, failure.Reason, failure.Message);
            return;
        }
        if (errors.Count > 0)
            conditions.Set(Reasons.SyncError, true, Reasons.ApplyFailed, string.Join("; ", errors.Values.Order(StringComparer.Ordinal)));
        else if (r.RetriesExhaustedMessage is { } exhausted && tasks.Any(IsOutOfSync))
            conditions.Set(Reasons.SyncError, true, Reasons.RetriesExhausted, $"{exhausted}; last: {r.Previous.OperationState?.Message}");
        var drifted = tasks.Where(t => t.Action == SyncAction.Skip && t.Reason == PlanReasons.OutOfSync && t.Desired is not null).ToList();
        if (drifted.Count > 0)
            conditions.Set(Reasons.Drifted, true, Reasons.OutOfSync, $"{drifted.Count} object(s) differ from Git and are not healed: {Names(drifted)}");
        var held = tasks.Where(t => t.Action == SyncAction.Hold).ToList();
        if (held.Count > 0)
            conditions.Set(Reasons.DriftHeld, true, PlanReasons.DriftHeld, string.Join("; ", held.Select(t => $"{t.Key}: {t.Message}")));
        if (r.Plan is { PruneBlocked: true } plan)
            conditions.Set(Reasons.PruneBlocked, true, PlanReasons.PruneBlocked, plan.PruneBlockedMessage ?? "prune blocked");
        var shared = tasks.Where(t => t.Reason == PlanReasons.SharedResource && t.Desired is not null).ToList();
        if (shared.Count > 0)
            conditions.Set(Reasons.SharedResource, true, PlanReasons.SharedResource, string.Join("; ", shared.Select(t => $"{t.Key}: {t.Message}")));

        if (r.Plan?.WaitingForWave is { } waiting)
            conditions.Set(Reasons.Reconciling, true, PlanReasons.WaitingForWave, waiting);
        if (r.SyncWindowMessage is { } closed && tasks.Any(t => t.Action != SyncAction.Skip || IsOutOfSync(t)))
            conditions.Set(Reasons.SyncWindowClosed, true, Reasons.SyncWindowClosed, closed);
        var ready = syncStatus == SyncSummary.Synced && health?.Code is null or HealthCode.Healthy;
        if (r.Plan is not null && (r.Desired?.IsEmpty ?? true))
        {
            // Nothing to deploy is worth saying: it reads as success otherwise, and is most often a wrong path.
            var allowEmpty = r.App.Spec.SyncPolicy?.Automated?.AllowEmpty == true;
            conditions.Set(Reasons.Ready, allowEmpty && syncStatus == SyncSummary.Synced, Reasons.EmptyRender,
                $"the source at {SyncOperation.Short(r.Revision)} rendered no objects{(allowEmpty ? "" : "; nothing is pruned until it does (or allowEmpty is set)")}");
            return;
        }
        if (ready) conditions.Set(Reasons.Ready, true, Reasons.Succeeded, $"synced to {SyncOperation.Short(r.Revision)}");
        else if (health?.Code == HealthCode.Progressing)
        {
            conditions.Set(Reasons.Ready, false, Reasons.Progressing, health.Message);
            conditions.Set(Reasons.Reconciling, true, Reasons.Progressing, health.Message);
        }
        else if (syncStatus != SyncSummary.Synced)
            conditions.Set(Reasons.Ready, false, conditions.Has(Reasons.SyncError) ? Reasons.ApplyFailed : Reasons.OutOfSync, "the live state differs from Git");
        else conditions.Set(Reasons.Ready, false, health!.Code.ToString(), health.Message);
    }

    private static List<ResourceStatus> Resources(ReconcileReport r, List<SyncTask> tasks, IReadOnlyDictionary<ResourceKey, string> errors)
    {
        var after = r.Changes.LiveAfter;
        var list = new List<ResourceStatus>();
        foreach (var t in tasks.Where(t => t.Desired is not null).OrderBy(t => t.Key))
        {
            var state = errors.ContainsKey(t.Key) ? SyncSummary.OutOfSync
                : after.ContainsKey(t.Key) || t.Reason == PlanReasons.Synced ? SyncSummary.Synced
                : t.Live is null ? "Missing" : SyncSummary.OutOfSync;
            var message = errors.GetValueOrDefault(t.Key) ?? (t.Reason is PlanReasons.Synced ? null : t.Message);
            list.Add(new ResourceStatus(t.Key.Group, t.Desired!.Version, t.Key.Kind, t.Key.Namespace, t.Key.Name, state)
            {
                Health = r.Health?.Resources.GetValueOrDefault(t.Key)?.Code.ToString(),
                Message = string.IsNullOrEmpty(message) ? null : message,
            });
        }
        return list;
    }

    /// <summary>The subject line of a commit message, at most 200 characters; null when there is none.</summary>
    internal static string? Subject(string? message)
    {
        var line = message?.Split('\n', 2)[0].Trim();
        return string.IsNullOrEmpty(line) ? null : line.Length <= 200 ? line : line[..199] + "…";
    }

    private static string Names(IEnumerable<SyncTask> tasks) => string.Join(", ", tasks.Take(10).Select(t => t.Key.ToString()));

    /// <summary>The new inventory: what is desired (and ours), plus stale objects not removed this time.</summary>
    public static Engine.Inventory.Inventory NextInventory(SyncPlan plan, ChangeSet changes, IReadOnlyDictionary<ResourceKey, string> errors)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(errors);
        var after = changes.LiveAfter;
        var keys = new HashSet<ResourceKey>();
        foreach (var t in plan.Tasks)
        {
            if (t.Desired is not null)
            {
                if (t.Reason == PlanReasons.SharedResource) continue;
                if (t.Live is null && !after.ContainsKey(t.Key)) continue;
                keys.Add(t.Key);
            }
            else if (t.Action == SyncAction.Prune ? errors.ContainsKey(t.Key)
                     : t.Reason is PlanReasons.OutOfSync or PlanReasons.PruneBlocked or PlanReasons.EmptyRender or PlanReasons.WaitingForWave)
                keys.Add(t.Key);
        }
        return Engine.Inventory.Inventory.Of(keys);
    }
}
