using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Engine.Policy;
using GitOps.Engine.Policy.Guardrails;
using GitOps.Engine.Policy.Projects;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using GitOps.Operator.Render;
using GitOps.Operator.Source;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// Reconciles one Application, level-based: it always starts from the cached object. The outer
/// shell handles deletion (cascade), suspend and the status write; <see cref="ReconcileStagesAsync"/>
/// is the straight line of stages, each failing with its own reason.
/// </summary>
public sealed partial class ApplicationReconciler(
    IApplicationStore applications,
    IKubeApi api,
    ApiDiscovery discovery,
    ManagedObjectCache cache,
    ManagedScope scope,
    SourceResolver sources,
    DesiredStateBuilder desiredState,
    LiveStateComparer comparer,
    PlanExecutor executor,
    EventRecorder events,
    OperatorMetrics metrics,
    TimeProvider time,
    Hosting.OperatorOptions options,
    Projects.ProjectStore projects,
    ILogger<ApplicationReconciler> log)
{
    public static ResourceKey KeyOf(string ns, string name) => new("gitops.dev", "Application", ns, name);

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken ct)
    {
        var app = applications.Get(key.Namespace, key.Name);
        if (app is null)
        {
            // Gone: its per-Application series go with it.
            metrics.ForgetApp(key.Namespace, key.Name);
            return ReconcileResult.Done;
        }
        var started = Stopwatch.GetTimestamp();
        var outcome = "success";
        var deleting = app["metadata"]?["deletionTimestamp"] is not null;
        using var scope = log.BeginScope(new Dictionary<string, object>
        {
            ["application"] = $"{key.Namespace}/{key.Name}",
            ["namespace"] = key.Namespace,
            ["name"] = key.Name,
        });
        try
        {
            if (deleting) return await FinalizeAsync(app, ct);
            ApplicationSpec spec;
            try
            {
                spec = ApplicationSpec.Parse(app);
            }
            catch (JsonException e)
            {
                var bad = new ReconcileContext(app, new ApplicationSpec(), time.GetUtcNow())
                {
                    Failure = (Reasons.Stalled, Reasons.InvalidSpec, $"spec cannot be read: {e.Message}"),
                    Stalled = true,
                };
                await WriteStatusAsync(bad, ct);
                outcome = "stalled";
                return ReconcileResult.Done;
            }
            var ctx = new ReconcileContext(app, spec, time.GetUtcNow()) { DefaultServiceAccount = options.DefaultServiceAccount };
            var result = ReconcileResult.Done;
            try
            {
                if (spec.Suspend)
                {
                    ctx.Suspended = true;
                    return ReconcileResult.Done;
                }
                result = await ReconcileStagesAsync(ctx, ct);
                outcome = ctx.Failure is not null || ctx.Errors.Count > 0 ? "error" : "success";
                return result;
            }
            catch (SourceException e) when (e.IsTransient)
            {
                ctx.Failure = (Reasons.SourceError, Reasons.SourceFailed, e.Message);
                outcome = "error";
                metrics.SourceFetchErrorsTotal.WithLabels(ctx.Namespace, ctx.Name, e.Reason.ToString()).Inc();
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException && ctx.Failure is null)
            {
                // Outside the per-object steps (an API refusal such as a 403, a fault): the status says
                // so, rather than keeping whatever the context happened to hold (which read as Synced).
                ctx.Failure = (Reasons.SyncError, Reasons.ReconcileFailed, FailureMessage(e));
                outcome = "error";
                await events.WarningAsync(ctx.App, Reasons.SyncError, ctx.Failure.Value.Message, ct);
                throw;
            }
            finally
            {
                var status = await WriteStatusAsync(ctx, ct);
                ReportMetrics(ctx, status);
            }
        }
        catch (Exception) when (outcome != "error")
        {
            outcome = "error";
            throw;
        }
        finally
        {
            if (deleting) metrics.ForgetApp(key.Namespace, key.Name);
            else metrics.ReconcileDuration.WithLabels(key.Namespace, key.Name).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static string FailureMessage(Exception e) => e switch
    {
        KubeApiException k => $"the API server answered {k.Code} {k.Reason}: {k.Message}",
        _ => $"reconcile failed: {Source.UrlRedactor.Redact(e.Message)}",
    };

    /// <summary>The stages of a reconcile, in order. Each failure sets its own condition and reason.</summary>
    private async Task<ReconcileResult> ReconcileStagesAsync(ReconcileContext ctx, CancellationToken ct)
    {
        var interval = ctx.Spec.IntervalValue;
        var annotations = ctx.App["metadata"]?["annotations"] as JsonObject;
        var handled = ctx.PreviousStatus["handledRequests"] as JsonObject;
        var syncRequest = (string?)annotations?[Annotations.SyncRequestedAt];
        if (syncRequest is not null && syncRequest != (string?)handled?["syncRequestedAt"])
        {
            ctx.ManualSync = true;
            ctx.HandledSyncRequest = syncRequest;
        }
        var refreshRequest = (string?)annotations?[Annotations.RefreshRequestedAt];
        var forceResolve = refreshRequest is not null && refreshRequest != (string?)handled?["refreshRequestedAt"];
        if (forceResolve) ctx.HandledRefreshRequest = refreshRequest;
        // A new Application, or a changed spec (source, revision, path), looks at Git now: a commit another
        // Application resolved up to an interval ago would show a path pushed since as missing.
        var specChanged = (long?)ctx.PreviousStatus["observedGeneration"] != ctx.Generation;

        // 0. Project: the bounds the Application must stay inside, checked before anything is fetched.
        Project project;
        try
        {
            project = await projects.GetAsync(ctx.Spec.Project, ct);
        }
        catch (Projects.ProjectException e)
        {
            ctx.Failure = (Reasons.PolicyViolation, Reasons.ProjectInvalid, e.Message);
            await events.WarningAsync(ctx.App, Reasons.ProjectInvalid, e.Message, ct);
            if (e.Transient) throw;
            return ReconcileResult.After(Jitter(interval));
        }
        ctx.ProjectServiceAccount = project.ServiceAccountName;
        var bounds = ProjectBounds.CheckApplication(project, new ApplicationFacts(ctx.Spec.Source.RepoURL, DestinationOf(ctx), ctx.Spec.Destination.ServiceAccountName));
        if (bounds.HasBlocking) return await PolicyFailureAsync(ctx, bounds, interval, ct);

        // 1. Source
        SourceSnapshot snapshot;
        var sourceTimer = Stopwatch.GetTimestamp();
        try
        {
            snapshot = await sources.FetchAsync(ctx.Namespace, ctx.Spec.Source, interval, forceResolve || ctx.ManualSync, RollbackRevision(ctx), ct,
                specChanged ? ResolvedNotBefore(ctx) : null);
            metrics.SourceFetchDuration.WithLabels("success").Observe(Stopwatch.GetElapsedTime(sourceTimer).TotalSeconds);
        }
        catch (SourceException e) when (!e.IsTransient)
        {
            metrics.SourceFetchDuration.WithLabels("error").Observe(Stopwatch.GetElapsedTime(sourceTimer).TotalSeconds);
            metrics.SourceFetchErrorsTotal.WithLabels(ctx.Namespace, ctx.Name, e.Reason.ToString()).Inc();
            ctx.Failure = (Reasons.SourceError, Reasons.SourceFailed, e.Message);
            await events.WarningAsync(ctx.App, Reasons.SourceFailed, e.Message, ct);
            return ReconcileResult.After(Jitter(interval));
        }
        ctx.Revision = snapshot.Commit;
        ctx.RevisionMessage = snapshot.Message;
        using var revisionScope = log.BeginScope(new Dictionary<string, object> { ["revision"] = Short(ctx.Revision) });

        // 2. Render
        var renderTimer = Stopwatch.GetTimestamp();
        try
        {
            ctx.Desired = await desiredState.BuildAsync(ctx, snapshot, ct);
            metrics.RenderDuration.WithLabels(ctx.Renderer ?? "unknown", "success").Observe(Stopwatch.GetElapsedTime(renderTimer).TotalSeconds);
        }
        catch (RenderException e)
        {
            metrics.RenderDuration.WithLabels(ctx.Renderer ?? "unknown", "error").Observe(Stopwatch.GetElapsedTime(renderTimer).TotalSeconds);
            // The message names the commit it looked at: a path pushed since is then plainly not a mystery.
            var message = $"{e.Describe()} (at {Short(ctx.Revision)})";
            ctx.Failure = (Reasons.RenderError, Reasons.RenderFailed, message);
            await events.WarningAsync(ctx.App, Reasons.RenderFailed, message, ct);
            return ReconcileResult.After(Jitter(interval));
        }

        // Bounds of the Project on each object, and its guardrails: a blocking violation applies and prunes nothing.
        ctx.Violations = ProjectBounds.CheckObjects(project, ctx.Desired).Concat(GuardrailChecker.Check(ctx.Desired, project.Guardrails));
        if (ctx.Violations.HasBlocking) return await PolicyFailureAsync(ctx, ctx.Violations, interval, ct);
        if (ctx.Violations.Violations.Count > 0 && StatusBuilder.ViolationsChanged(ctx))
            await events.WarningAsync(ctx.App, Reasons.PolicyViolation, $"policy warnings: {string.Join("; ", ctx.Violations.Violations.Take(5))}", ct);

        // 3. Compare
        var previous = Engine.Inventory.Inventory.Parse(
            (ctx.PreviousStatus["inventory"] as JsonArray ?? []).Select(e => (string?)e).OfType<string>().Where(IsInventoryEntry));
        await EnsureNamespaceAsync(ctx, ct);
        var live = await comparer.CompareAsync(ctx, ctx.Desired, previous, ct);

        // 4. Plan
        var policy = ctx.Spec.SyncPolicy;
        var automated = policy?.Automated;
        // A sync whose later waves waited, or that failed with retries left, goes on as the sync it was:
        // a rollout of a new revision, or one a person asked for (without self-heal nothing else would apply it).
        var operation = ctx.PreviousStatus["operationState"];
        var retriesLeft = (int?)operation?["retryCount"] <= (policy?.Retry ?? new RetrySpec()).Limit;
        ctx.ContinuingSync = (string?)operation?["syncRevision"] == ctx.Revision &&
            ((string?)operation?["phase"] == "Running" || ((string?)operation?["phase"] == "Failed" && retriesLeft));
        ctx.ManualOperation = ctx.ManualSync || (ctx.ContinuingSync && (bool?)operation?["manual"] == true);
        // Sync windows of the Project: outside them the plan is only reported, as without automated sync.
        var window = SyncWindowVerdict.Evaluate(project.SyncWindows, ctx.Name, DestinationOf(ctx), ctx.Now);
        var automatedNow = automated is not null && window.AutomatedAllowed;
        var manualNow = ctx.ManualOperation && window.ManualAllowed;
        if ((automated is not null && !window.AutomatedAllowed) || (ctx.ManualOperation && !window.ManualAllowed))
            ctx.SyncWindowMessage = window.Message + (ctx.ManualOperation && !window.ManualAllowed ? " (the manual sync was refused too)" : "");
        var plan = PlanBuilder.Build(new PlanInput(
            ctx.Identity, ctx.Desired, live, previous,
            new SyncPolicy(
                Automated: automatedNow,
                Prune: (automatedNow && (automated?.Prune ?? false)) || manualNow,
                SelfHeal: automatedNow && (automated?.SelfHeal ?? false),
                AllowEmpty: automated?.AllowEmpty ?? false,
                PruneLast: policy?.HasOption("PruneLast=true") ?? false,
                PruneLimit: policy?.PruneLimit?.ToString(),
                ManualSyncRequested: manualNow),
            ctx.Now,
            ctx.RevisionChanged || ctx.ContinuingSync));
        ctx.Plan = plan;

        // 5-6. Apply and prune
        if (!plan.IsNoOp)
        {
            ctx.SyncAttempted = true;
            log.LogInformation("syncing {Revision}: {Summary}", Short(ctx.Revision), plan.Summary);
            // The event goes out while the plan runs (one round trip less per sync; events are best effort).
            var started = events.NormalAsync(ctx.App, "SyncStarted", $"syncing {Short(ctx.Revision)}: {plan.Summary}", ct);
            try
            {
                await executor.ExecuteAsync(ctx, plan, ct);
            }
            finally
            {
                await started;
            }
            await RecordSyncAsync(ctx, ct);
        }
        if (plan.PruneBlocked && !ctx.PreviousStatus.ToJsonString().Contains(Reasons.PruneBlocked, StringComparison.Ordinal))
            await events.WarningAsync(ctx.App, Reasons.PruneBlocked, plan.PruneBlockedMessage ?? "prune blocked", ct);
        ctx.Inventory = StatusBuilder.NextInventory(ctx, plan);

        // 7. Health
        foreach (var task in plan.Tasks.Where(t => t.Desired is not null && t.Reason != PlanReasons.SharedResource))
        {
            var obj = ctx.LiveAfterSync.GetValueOrDefault(task.Key) ?? task.Live;
            ctx.ResourceHealth[task.Key] = obj is null ? new HealthStatus(HealthCode.Missing, $"{task.Key} does not exist") : HealthRegistry.Default.Assess(obj);
        }
        ctx.Health = HealthStatus.Worst(ctx.ResourceHealth.Values) ?? HealthStatus.Healthy();

        return NextRun(ctx, plan, interval);
    }

    private static readonly TimeSpan WaveRecheck = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The oldest resolution of its revision a new or changed Application accepts: one made after it was
    /// created (so a thousand new apps share one ls), or, for a changed spec, one made now.
    /// </summary>
    private static DateTimeOffset ResolvedNotBefore(ReconcileContext ctx) =>
        ctx.PreviousStatus["observedGeneration"] is null && DateTimeOffset.TryParse((string?)ctx.App["metadata"]?["creationTimestamp"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var created)
            ? created
            : ctx.Now;

    private ReconcileResult NextRun(ReconcileContext ctx, SyncPlan plan, TimeSpan interval)
    {
        var next = Jitter(interval);
        var holdEnds = plan.Tasks.Where(t => t.Action == SyncAction.Hold)
            .Select(t => Engine.Drift.DriftPolicy.ActiveHold(t.Live, ctx.Now)?.HoldUntil).OfType<DateTimeOffset>();
        foreach (var end in holdEnds)
            if (end - ctx.Now + TimeSpan.FromMilliseconds(50) < next) next = end - ctx.Now + TimeSpan.FromMilliseconds(50);
        // Waiting waves are re-queued by their objects' watch events; this is the fallback.
        if (plan.WaitingForWave is not null && WaveRecheck < next) next = WaveRecheck;
        if ((ctx.SyncAttempted || ctx.ContinuingSync) && ctx.Errors.Count > 0 && ctx.Spec.SyncPolicy?.Automated is not null)
        {
            var retry = ctx.Spec.SyncPolicy.Retry ?? new RetrySpec();
            var attempts = ((int?)ctx.PreviousStatus["operationState"]?["retryCount"] ?? 0) + 1;
            if (attempts <= retry.Limit)
            {
                Durations.TryParse(retry.Backoff.Duration, out var baseDelay);
                Durations.TryParse(retry.Backoff.MaxDuration, out var maxDelay);
                var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * Math.Pow(Math.Max(1, retry.Backoff.Factor), attempts - 1), maxDelay.Ticks > 0 ? maxDelay.Ticks : long.MaxValue));
                if (delay > TimeSpan.Zero && delay < next) next = delay;
            }
        }
        return ReconcileResult.After(next < TimeSpan.Zero ? TimeSpan.Zero : next);
    }

    private async Task RecordSyncAsync(ReconcileContext ctx, CancellationToken ct)
    {
        var result = ctx.Errors.Count > 0 ? "failed" : "succeeded";
        metrics.SyncTotal.WithLabels(ctx.Namespace, ctx.Name, result).Inc();
        var healed = ctx.Plan!.Tasks.Count(t => t.Action == SyncAction.Apply && t.Live is not null && !ctx.RevisionChanged && !ctx.ContinuingSync && !ctx.Errors.ContainsKey(t.Key));
        if (healed > 0) metrics.DriftHealedTotal.WithLabels(ctx.Namespace, ctx.Name).Inc(healed);
        if (ctx.Errors.Count > 0)
            await events.WarningAsync(ctx.App, Reasons.SyncError, $"sync of {Short(ctx.Revision)} failed: {string.Join("; ", ctx.Errors.Values.Take(5))}", ct);
        else
            await events.NormalAsync(ctx.App, healed > 0 && ctx.Applied.Count == healed && ctx.Pruned.Count == 0 ? "DriftHealed" : "Synced",
                $"synced {Short(ctx.Revision)}: applied {ctx.Applied.Count}, pruned {ctx.Pruned.Count}", ct);
        if (ctx.Pruned.Count > 0)
            await events.NormalAsync(ctx.App, "Pruned", $"pruned {string.Join(", ", ctx.Pruned.Take(10))}", ct);
        if (ctx.Recreated.Count > 0)
            await events.NormalAsync(ctx.App, "Recreated", $"deleted and created again (an immutable field changed; Force=true): {string.Join(", ", ctx.Recreated.Take(10))}", ct);
    }

    /// <summary>Namespaces created, by the identity that created them (another Application's service account may not be allowed to).</summary>
    private readonly HashSet<(string Namespace, string? As)> _namespacesEnsured = [];

    private async Task EnsureNamespaceAsync(ReconcileContext ctx, CancellationToken ct)
    {
        var ns = ctx.Spec.Destination.Namespace;
        if (ns.Length == 0 || ctx.Spec.SyncPolicy?.HasOption("CreateNamespace=true") != true) return;
        // A Namespace is cluster-scoped: restricted to some namespaces, the operator relies on them existing.
        if (scope.IsRestricted) return;
        lock (_namespacesEnsured) if (_namespacesEnsured.Contains((ns, ctx.Impersonate))) return;
        var resource = new ResourceInfo("", "v1", "Namespace", "namespaces", false);
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } };
        await api.SendAsAsync(ctx.Impersonate, HttpMethod.Patch, resource.ObjectPath(null, ns) + $"?fieldManager={Annotations.FieldManager}",
            body.ToJsonString(), "application/apply-patch+yaml", ct);
        lock (_namespacesEnsured) _namespacesEnsured.Add((ns, ctx.Impersonate));
    }

    private static string? RollbackRevision(ReconcileContext ctx)
    {
        var target = (string?)ctx.App["metadata"]?["annotations"]?[Annotations.RollbackTo];
        if (target is null || !long.TryParse(target, out var id)) return null;
        var entry = (ctx.PreviousStatus["history"] as JsonArray)?.FirstOrDefault(h => (long?)h?["id"] == id);
        return (string?)entry?["revision"];
    }

    /// <summary>Writes status through the status subresource, only when it changed; returns the status.</summary>
    private async Task<JsonObject> WriteStatusAsync(ReconcileContext ctx, CancellationToken ct)
    {
        var status = StatusBuilder.Build(ctx);
        if (JsonNode.DeepEquals(status, ctx.App["status"])) return status;
        var updated = ctx.App.DeepClone().AsObject();
        updated["status"] = status;
        try
        {
            await api.SendAsync(HttpMethod.Put,
                $"/apis/gitops.dev/v1alpha1/namespaces/{Uri.EscapeDataString(ctx.Namespace)}/applications/{Uri.EscapeDataString(ctx.Name)}/status",
                updated.ToJsonString(), "application/json", ct);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // The Application changed (or went) meanwhile: its watch event brings us back with the new version.
        }
        return status;
    }

    /// <summary>
    /// The per-Application series after a reconcile. Drifted resources are the live objects that
    /// differ from Git and were not put back in this reconcile (self-heal off, held, or failed).
    /// </summary>
    private void ReportMetrics(ReconcileContext ctx, JsonObject status)
    {
        var drifted = ctx.Plan?.Tasks.Count(t => t.Desired is not null && t.Live is not null
            && t.Reason is PlanReasons.OutOfSync or PlanReasons.Modified or PlanReasons.DriftHeld
            && (t.Action != SyncAction.Apply || ctx.Errors.ContainsKey(t.Key))) ?? 0;
        metrics.DriftedResources.WithLabels(ctx.Namespace, ctx.Name).Set(drifted);
        // Counters start at 0 so that increase() sees the first heal or sync.
        metrics.DriftHealedTotal.WithLabels(ctx.Namespace, ctx.Name);
        metrics.SyncTotal.WithLabels(ctx.Namespace, ctx.Name, "succeeded");
        metrics.SyncTotal.WithLabels(ctx.Namespace, ctx.Name, "failed");
        metrics.DriftHeldResources.WithLabels(ctx.Namespace, ctx.Name).Set(ctx.Plan?.Tasks.Count(t => t.Action == SyncAction.Hold) ?? 0);
        metrics.SetAppInfo(ctx.Namespace, ctx.Name, ctx.Spec.Source.RepoURL, ctx.Spec.Source.Path, ctx.Spec.Destination.Namespace,
            (string?)status["sync"]?["status"] ?? "Unknown", (string?)status["health"]?["status"] ?? "Unknown", ctx.Spec.SyncPolicy?.Automated is not null);
    }

    private static bool IsInventoryEntry(string entry) => entry.Count(c => c == '/') == 3;

    private static TimeSpan Jitter(TimeSpan t) => TimeSpan.FromTicks((long)(t.Ticks * (0.9 + Random.Shared.NextDouble() * 0.2)));

    private static string Short(string? revision) => StatusBuilder.Short(revision);
}
