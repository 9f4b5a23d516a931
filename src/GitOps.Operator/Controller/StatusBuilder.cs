using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;

namespace GitOps.Operator.Controller;

/// <summary>
/// Builds an Application's status from what a reconcile learned: sync and health, kstatus-style
/// Ready/Reconciling/Stalled plus the stage conditions, per-resource status, inventory,
/// operationState and history (last 10).
/// </summary>
public static class StatusBuilder
{
    public const int HistoryLimit = 10;

    public static JsonObject Build(ReconcileContext ctx)
    {
        var previous = ctx.PreviousStatus;
        var now = Timestamp(ctx.Now);
        var conditions = new Conditions(previous["conditions"] as JsonArray, ctx.Generation, now);
        var status = new JsonObject { ["observedGeneration"] = ctx.Generation };

        var tasks = ctx.Plan?.Tasks.ToList() ?? [];
        var outOfSync = ctx.Failure is not null || ctx.Errors.Count > 0 || tasks.Any(IsOutOfSync);
        // A failure before any plan: whether Git and the cluster agree is not known now, so keep what was known.
        var syncStatus = ctx.Failure is { Condition: Reasons.SourceError or Reasons.RenderError or Reasons.PolicyViolation } or { Reason: Reasons.ReconcileFailed } && ctx.Plan is null
            ? (string?)previous["sync"]?["status"] ?? "Unknown"
            : outOfSync ? "OutOfSync" : "Synced";
        status["sync"] = new JsonObject
        {
            ["status"] = syncStatus,
            ["revision"] = ctx.Revision ?? (string?)previous["sync"]?["revision"] ?? "",
        };
        var health = ctx.Suspended ? HealthStatus.Suspended("suspended") : ctx.Health;
        status["health"] = health is null
            ? previous["health"]?.DeepClone() ?? new JsonObject { ["status"] = "Unknown", ["message"] = "" }
            : new JsonObject { ["status"] = health.Code.ToString(), ["message"] = health.Message };

        SetConditions(ctx, conditions, tasks, syncStatus, health);
        status["conditions"] = conditions.ToJson();
        status["resources"] = ctx.Plan is null ? previous["resources"]?.DeepClone() ?? new JsonArray() : Resources(ctx, tasks);
        status["inventory"] = ctx.Inventory is { } inventory
            ? new JsonArray([.. inventory.ToEntries().Select(e => (JsonNode)e)])
            : previous["inventory"]?.DeepClone() ?? new JsonArray();
        if (PolicyViolations(ctx) is { Count: > 0 } violations) status["policyViolations"] = violations;
        status["operationState"] = OperationState(ctx, previous, now);
        status["history"] = History(ctx, previous, now);
        var handled = previous["handledRequests"]?.DeepClone() as JsonObject ?? new JsonObject();
        if (ctx.HandledSyncRequest is not null) handled["syncRequestedAt"] = ctx.HandledSyncRequest;
        if (ctx.HandledRefreshRequest is not null) handled["refreshRequestedAt"] = ctx.HandledRefreshRequest;
        if (handled.Count > 0) status["handledRequests"] = handled;
        return status;
    }

    /// <summary>
    /// Every Project or guardrail rule the rendered objects (or the Application) break, per object:
    /// {group, kind, namespace, name, rule, message, action}; kept from before when this reconcile did not check.
    /// </summary>
    internal static JsonArray? PolicyViolations(ReconcileContext ctx)
    {
        if (ctx.Violations is null && ctx.Failure is not { Condition: Reasons.PolicyViolation })
            return ctx.PreviousStatus["policyViolations"]?.DeepClone() as JsonArray;
        var list = new JsonArray();
        var report = ctx.Violations ?? Engine.Policy.PolicyReport.Empty;
        if (ctx.Failure is { Condition: Reasons.PolicyViolation } && ctx.Violations is null)
            list.Add(new JsonObject { ["rule"] = ctx.Failure.Value.Reason, ["message"] = ctx.Failure.Value.Message, ["action"] = "Block" });
        foreach (var v in report.Violations)
        {
            var entry = new JsonObject();
            if (v.Key is { } key)
            {
                entry["group"] = key.Group;
                entry["kind"] = key.Kind;
                entry["namespace"] = key.Namespace;
                entry["name"] = key.Name;
            }
            entry["rule"] = v.Rule;
            entry["message"] = v.Message;
            entry["action"] = v.Action.ToString();
            list.Add(entry);
        }
        return list;
    }

    /// <summary>Whether the violations found now differ from those in the status (Events only on a change).</summary>
    internal static bool ViolationsChanged(ReconcileContext ctx) =>
        !JsonNode.DeepEquals(PolicyViolations(ctx) is { Count: > 0 } now ? now : null, ctx.PreviousStatus["policyViolations"]);

    private static bool IsOutOfSync(SyncTask t) => t.Action switch
    {
        SyncAction.Hold => true,
        SyncAction.Skip => t.Reason is PlanReasons.OutOfSync or PlanReasons.PruneBlocked or PlanReasons.SharedResource or PlanReasons.NotCompared or PlanReasons.WaitingForWave,
        _ => false,
    };

    private static void SetConditions(ReconcileContext ctx, Conditions conditions, List<SyncTask> tasks, string syncStatus, HealthStatus? health)
    {
        if (ctx.Suspended)
        {
            conditions.Set(Reasons.Ready, false, Reasons.Suspended, "reconciliation is suspended (spec.suspend)");
            return;
        }
        if (ctx.Failure is { } failure)
        {
            conditions.Set(failure.Condition, true, failure.Reason, failure.Message);
            conditions.Set(Reasons.Ready, false, failure.Reason, failure.Message);
            if (ctx.Stalled) conditions.Set(Reasons.Stalled, true, failure.Reason, failure.Message);
            return;
        }
        if (ctx.Errors.Count > 0)
            conditions.Set(Reasons.SyncError, true, Reasons.ApplyFailed, string.Join("; ", ctx.Errors.Values.Order(StringComparer.Ordinal)));
        var drifted = tasks.Where(t => t.Action == SyncAction.Skip && t.Reason == PlanReasons.OutOfSync && t.Desired is not null).ToList();
        if (drifted.Count > 0)
            conditions.Set(Reasons.Drifted, true, Reasons.OutOfSync, $"{drifted.Count} object(s) differ from Git and are not healed: {Names(drifted)}");
        var held = tasks.Where(t => t.Action == SyncAction.Hold).ToList();
        if (held.Count > 0)
            conditions.Set(Reasons.DriftHeld, true, PlanReasons.DriftHeld, string.Join("; ", held.Select(t => $"{t.Key}: {t.Message}")));
        if (ctx.Plan is { PruneBlocked: true } plan)
            conditions.Set(Reasons.PruneBlocked, true, PlanReasons.PruneBlocked, plan.PruneBlockedMessage ?? "prune blocked");
        var shared = tasks.Where(t => t.Reason == PlanReasons.SharedResource && t.Desired is not null).ToList();
        if (shared.Count > 0)
            conditions.Set(Reasons.SharedResource, true, PlanReasons.SharedResource, string.Join("; ", shared.Select(t => $"{t.Key}: {t.Message}")));

        if (ctx.Plan?.WaitingForWave is { } waiting)
            conditions.Set(Reasons.Reconciling, true, PlanReasons.WaitingForWave, waiting);
        if (ctx.SyncWindowMessage is { } closed && tasks.Any(t => t.Action != SyncAction.Skip || IsOutOfSync(t)))
            conditions.Set(Reasons.SyncWindowClosed, true, Reasons.SyncWindowClosed, closed);
        var ready = syncStatus == "Synced" && health?.Code is null or HealthCode.Healthy;
        if (ctx.Plan is not null && ctx.Desired.Count == 0)
        {
            // Nothing to deploy is worth saying: it reads as success otherwise, and is most often a wrong path.
            var allowEmpty = ctx.Spec.SyncPolicy?.Automated?.AllowEmpty == true;
            conditions.Set(Reasons.Ready, allowEmpty && syncStatus == "Synced", Reasons.EmptyRender,
                $"the source at {Short(ctx.Revision)} rendered no objects{(allowEmpty ? "" : "; nothing is pruned until it does (or allowEmpty is set)")}");
            return;
        }
        if (ready) conditions.Set(Reasons.Ready, true, Reasons.Succeeded, $"synced to {Short(ctx.Revision)}");
        else if (health?.Code == HealthCode.Progressing)
        {
            conditions.Set(Reasons.Ready, false, Reasons.Progressing, health.Message);
            conditions.Set(Reasons.Reconciling, true, Reasons.Progressing, health.Message);
        }
        else if (syncStatus != "Synced")
            conditions.Set(Reasons.Ready, false, conditions.Has(Reasons.SyncError) ? Reasons.ApplyFailed : Reasons.OutOfSync, "the live state differs from Git");
        else conditions.Set(Reasons.Ready, false, health!.Code.ToString(), health.Message);
    }

    private static JsonArray Resources(ReconcileContext ctx, List<SyncTask> tasks)
    {
        var list = new JsonArray();
        foreach (var t in tasks.Where(t => t.Desired is not null).OrderBy(t => t.Key))
        {
            var applied = ctx.LiveAfterSync.ContainsKey(t.Key);
            var state = ctx.Errors.ContainsKey(t.Key) ? "OutOfSync"
                : applied || t.Reason == PlanReasons.Synced ? "Synced"
                : t.Live is null ? "Missing" : "OutOfSync";
            var entry = new JsonObject
            {
                ["group"] = t.Key.Group,
                ["version"] = t.Desired!.Version,
                ["kind"] = t.Key.Kind,
                ["namespace"] = t.Key.Namespace,
                ["name"] = t.Key.Name,
                ["status"] = state,
            };
            if (ctx.ResourceHealth.TryGetValue(t.Key, out var h) && h is not null) entry["health"] = h.Code.ToString();
            var message = ctx.Errors.GetValueOrDefault(t.Key) ?? (t.Reason is PlanReasons.Synced ? null : t.Message);
            if (!string.IsNullOrEmpty(message)) entry["message"] = message;
            list.Add(entry);
        }
        return list;
    }

    /// <summary>
    /// The sync operation: Succeeded or Failed when a sync ran; Running while later waves wait for
    /// earlier ones (with the revision and whether a person asked for it, so the next reconciles carry
    /// on with it); a Running operation whose waits are over, with nothing left to apply, Succeeded.
    /// </summary>
    private static JsonNode OperationState(ReconcileContext ctx, JsonObject previous, string now)
    {
        var before = previous["operationState"] as JsonObject;
        var failed = ctx.Errors.Count > 0;
        var startedAt = ctx.ContinuingSync ? (string?)before?["startedAt"] ?? now : now;
        if (ctx.Plan?.WaitingForWave is { } waiting && !failed)
            return Operation(ctx, "Running", $"waiting: {waiting}", startedAt, finishedAt: null, retryCount: 0, carriedOn: true);
        // A retry that had nothing to apply but still fails counts as an attempt (so retries run out).
        if (!ctx.SyncAttempted && !(failed && ctx.ContinuingSync))
        {
            if (!ctx.ContinuingSync || ctx.Plan is null || ctx.Failure is not null || failed) return before?.DeepClone() ?? new JsonObject();
            return Operation(ctx, "Succeeded", $"every wave applied at {Short(ctx.Revision)}", startedAt, now, retryCount: 0, carriedOn: false);
        }
        if (!failed)
            return Operation(ctx, "Succeeded", $"applied {ctx.Applied.Count}, pruned {ctx.Pruned.Count} at {Short(ctx.Revision)}", startedAt, now, retryCount: 0, carriedOn: false);
        var retries = (ctx.ContinuingSync ? (int?)before?["retryCount"] ?? 0 : 0) + 1;
        return Operation(ctx, "Failed", string.Join("; ", ctx.Errors.Values.Order(StringComparer.Ordinal)), startedAt, now, retries, carriedOn: true);
    }

    /// <summary>
    /// One operationState. <paramref name="carriedOn"/>: a sync later reconciles go on with (waiting
    /// waves, a retry), so it keeps the revision and whether a person asked for it (see the reconciler).
    /// </summary>
    private static JsonObject Operation(ReconcileContext ctx, string phase, string message, string startedAt, string? finishedAt, int retryCount, bool carriedOn)
    {
        var state = new JsonObject { ["phase"] = phase, ["message"] = message, ["startedAt"] = startedAt };
        if (finishedAt is not null) state["finishedAt"] = finishedAt;
        state["retryCount"] = retryCount;
        if (carriedOn)
        {
            state["syncRevision"] = ctx.Revision;
            state["manual"] = ctx.ManualOperation;
        }
        return state;
    }

    private static JsonNode History(ReconcileContext ctx, JsonObject previous, string now)
    {
        var history = previous["history"]?.DeepClone() as JsonArray ?? new JsonArray();
        var last = history.LastOrDefault();
        var succeeded = ctx.SyncAttempted && ctx.Errors.Count == 0 && ctx.Revision is not null;
        if (succeeded && (string?)last?["revision"] != ctx.Revision)
        {
            var id = history.Select(h => (long?)h?["id"] ?? 0).DefaultIfEmpty(0).Max() + 1;
            history.Add(new JsonObject { ["id"] = id, ["revision"] = ctx.Revision, ["deployedAt"] = now });
            while (history.Count > HistoryLimit) history.RemoveAt(0);
        }
        return history;
    }

    private static string Names(IEnumerable<SyncTask> tasks) => string.Join(", ", tasks.Take(10).Select(t => t.Key.ToString()));

    /// <summary>The first 12 characters of a commit, as messages show it.</summary>
    internal static string Short(string? revision) => revision is null ? "?" : revision[..Math.Min(12, revision.Length)];

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The new inventory: what is desired (and ours), plus stale objects not removed this time.</summary>
    public static Engine.Inventory.Inventory NextInventory(ReconcileContext ctx, SyncPlan plan)
    {
        var keys = new HashSet<ResourceKey>();
        foreach (var t in plan.Tasks)
        {
            if (t.Desired is not null)
            {
                if (t.Reason == PlanReasons.SharedResource) continue;
                if (t.Live is null && !ctx.LiveAfterSync.ContainsKey(t.Key)) continue;
                keys.Add(t.Key);
            }
            else if (t.Action == SyncAction.Prune ? ctx.Errors.ContainsKey(t.Key)
                     : t.Reason is PlanReasons.OutOfSync or PlanReasons.PruneBlocked or PlanReasons.EmptyRender or PlanReasons.WaitingForWave)
                keys.Add(t.Key);
        }
        return Engine.Inventory.Inventory.Of(keys);
    }
}
