using System.Diagnostics;
using GitOps.Engine.Health;
using GitOps.Engine.Hooks;
using GitOps.Engine.Operation;
using GitOps.Engine.Plan;
using GitOps.Engine.Policy;
using GitOps.Engine.Policy.Guardrails;
using GitOps.Engine.Policy.Projects;
using GitOps.Operator.Applications;
using GitOps.Operator.Apply;
using GitOps.Operator.Cluster;
using GitOps.Operator.Cluster.Remote;
using GitOps.Operator.Compare;
using GitOps.Operator.Health;
using GitOps.Operator.Metrics;
using GitOps.Operator.Projects;
using GitOps.Operator.Render;
using GitOps.Operator.Source;
using GitOps.Operator.Status;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// The stages of a reconcile, in order: health rules → project → dependencies → source → render → policy → compare → plan → apply → health.
/// Each takes the report so far and returns it with its own result; a stage that fails sets the
/// report's failure (its own condition and reason) and the stages after it do not run.
/// </summary>
public sealed class ReconcilePipeline(
    ProjectStore projects,
    IApplicationStore applications,
    SourceResolver sources,
    DesiredStateBuilder desiredState,
    DestinationClusters clusters,
    EventRecorder events,
    OperatorMetrics metrics,
    ControllerOptions options,
    ILogger<ReconcilePipeline> log)
{
    private delegate Task<ReconcileReport> Stage(ReconcileReport report, ReconcileRun run, CancellationToken ct);

    /// <summary>What the stages of one run share besides the report: the requests it handles and the cluster it deploys to (once connected).</summary>
    private sealed class ReconcileRun(OperatorRequests requests, DestinationCluster local)
    {
        public OperatorRequests Requests { get; } = requests;
        public DestinationCluster Destination { get; set; } = local;
    }

    public async Task<ReconcileReport> RunAsync(ReconcileReport report, OperatorRequests requests, CancellationToken ct)
    {
        Stage[] stages = [HealthRulesAsync, ProjectAsync, ClusterAsync, DependenciesAsync, SourceAsync, RenderAsync, PolicyAsync, CompareAsync, PlanAsync, ApplyAsync, HealthAsync];
        var run = new ReconcileRun(requests, clusters.Local);
        foreach (var stage in stages)
        {
            try
            {
                report = await stage(report, run, ct);
            }
            catch (KubeApiException e) when (!run.Destination.IsInCluster && e.Code is 0 or 401)
            {
                // The remote cluster stopped answering (or refuses the credential) mid-reconcile: nothing more is
                // applied or pruned there, and what is live is not known.
                return report with { Failure = Unreachable(run.Destination, e.Message), HandledRefreshRequest = null, HandledSyncRequest = null };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StageException(report, e);
            }
            if (report.Failure is not null) break;
        }
        return report;
    }

    private static StageFailure Unreachable(DestinationCluster cluster, string why) =>
        new(Reasons.ClusterConnected, "ClusterUnreachable", $"{cluster.Ref} at {cluster.Server} cannot be used: {why}", Transient: true, ConditionTrue: false, StateUnknown: true);

    /// <summary>The Application's own health rules (spec.healthChecks), compiled; a rule that does not compile stalls it.</summary>
    private static Task<ReconcileReport> HealthRulesAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var rules = Engine.Health.Rules.HealthRules.Compile(r.App.Spec.HealthChecks);
        if (!rules.IsValid)
            throw new Applications.TerminalReconcileException(Reasons.Stalled, Reasons.HealthCheckInvalid, $"spec.healthChecks: {string.Join("; ", rules.Errors)}");
        return Task.FromResult(r with { HealthRules = rules.Registry });
    }

    /// <summary>0. The Project: the bounds the Application must stay inside, checked before anything is fetched; whom its writes act as.</summary>
    private async Task<ReconcileReport> ProjectAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        Project project;
        try
        {
            project = await projects.GetAsync(r.App.Spec.Project, ct);
        }
        catch (ProjectException e)
        {
            await events.WarningAsync(r.App.Object, Reasons.ProjectInvalid, e.Message, ct);
            return r with { Failure = new StageFailure(Reasons.PolicyViolation, Reasons.ProjectInvalid, e.Message, Transient: e.Transient) };
        }
        r = r with { Project = project, Write = WriteOptions.For(r.App, project.ServiceAccountName, options.DefaultServiceAccount) };
        var cluster = clusters.RefOf(r.App);
        r = r with { Destination = cluster };
        var bounds = ProjectBounds.CheckApplication(project, new ApplicationFacts(r.App.Spec.Source.RepoURL, r.App.DestinationNamespace, r.App.Spec.Destination.ServiceAccountName,
            cluster.RegisteredName));
        return bounds.HasBlocking ? await PolicyFailureAsync(r, bounds, ct) : r;
    }

    /// <summary>
    /// The destination cluster: the operator's own, or a remote one by its kubeconfig Secret (connected on
    /// first use, asked for its version when new or when its watches fail). One that cannot be used makes
    /// the Application's sync and health Unknown, with ClusterConnected False and why; nothing is applied or pruned.
    /// </summary>
    private async Task<ReconcileReport> ClusterAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var cluster = r.Destination ?? ClusterRef.InCluster;
        try
        {
            run.Destination = await clusters.ResolveAsync(r.App.Identity, cluster, ct);
        }
        catch (ClusterCredentialsException e)
        {
            if (r.Previous.Find(Reasons.ClusterConnected)?.Message != e.Message)
                await events.WarningAsync(r.App.Object, e.Reason, e.Message, ct);
            // A refresh or sync request stays pending: the retry must look at Git and sync, not find it handled.
            return r with
            {
                Failure = new StageFailure(Reasons.ClusterConnected, e.Reason, e.Message, Transient: e.Transient, ConditionTrue: false, StateUnknown: true),
                HandledRefreshRequest = null, HandledSyncRequest = null,
            };
        }
        return run.Destination.IsInCluster ? r
            : r with { ClusterConnection = $"{cluster} at {run.Destination.Server} (Kubernetes {run.Destination.Version})" };
    }

    /// <summary>
    /// spec.dependsOn: the Application syncs only when each dependency is Ready at its current revision and
    /// Healthy (from the Application cache; a dependency that becomes Ready wakes it through the controller's
    /// <see cref="DependencyIndex"/>). Waiting is Reconciling; a missing dependency or a cycle is an error.
    /// </summary>
    private Task<ReconcileReport> DependenciesAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var verdict = Dependencies.Check(r.App.Identity, r.App.Dependencies, FactsOf,
            dependency => applications.Get(dependency.Namespace, dependency.Name) is { } obj ? Applications.Application.DependenciesOf(obj) : []);
        var failure = verdict.Kind switch
        {
            DependencyVerdictKind.Waiting => new StageFailure(Reasons.Reconciling, Reasons.DependencyNotReady, verdict.Message),
            DependencyVerdictKind.Missing => new StageFailure(Reasons.DependencyError, Reasons.DependencyMissing, verdict.Message),
            DependencyVerdictKind.Cycle => new StageFailure(Reasons.DependencyError, Reasons.DependencyCycle, verdict.Message),
            _ => null,
        };
        return Task.FromResult(failure is null ? r : r with { Failure = failure });
    }

    private DependencyFacts? FactsOf(Engine.Plan.AppIdentity dependency)
    {
        if (applications.Get(dependency.Namespace, dependency.Name) is not { } obj) return null;
        var status = ApplicationStatus.Of(obj);
        var ready = status.Find(Reasons.Ready);
        return new DependencyFacts(status.ObservedGeneration == ((long?)obj["metadata"]?["generation"] ?? 0), ready?.Status == Condition.True,
            status.Health?.Status ?? "Unknown", ready is null ? null : $"{ready.Reason}: {ready.Message}");
    }

    /// <summary>1. The source: the commit the revision names (resolved fresh for a new or changed Application), checked out.</summary>
    private async Task<ReconcileReport> SourceAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var timer = Stopwatch.GetTimestamp();
        var specChanged = r.Previous.ObservedGeneration != r.App.Generation;
        try
        {
            var snapshot = await sources.FetchAsync(r.App.Namespace, r.App.Spec.Source, r.App.Spec.IntervalValue, run.Requests.Refresh is not null || run.Requests.Sync is not null,
                run.Requests.RollbackRevision, ct, specChanged ? ResolvedNotBefore(r) : null);
            metrics.SourceFetchDuration.WithLabels("success").Observe(Stopwatch.GetElapsedTime(timer).TotalSeconds);
            return r with { Snapshot = snapshot, Revision = snapshot.Commit };
        }
        catch (SourceException e)
        {
            metrics.SourceFetchErrorsTotal.WithLabels(r.App.Namespace, r.App.Name, e.Reason.ToString()).Inc();
            if (e.Reason == SourceFailureReason.InvalidSpec) throw new TerminalReconcileException(Reasons.SourceError, Reasons.InvalidSpec, e.Message);
            // A refresh or sync request stays pending while the source fails for now: the retry must
            // look at Git again, not settle for the commit resolved before.
            if (e.IsTransient) return r with { Failure = new StageFailure(Reasons.SourceError, Reasons.SourceFailed, e.Message, Transient: true), HandledRefreshRequest = null, HandledSyncRequest = null };
            metrics.SourceFetchDuration.WithLabels("error").Observe(Stopwatch.GetElapsedTime(timer).TotalSeconds);
            await events.WarningAsync(r.App.Object, Reasons.SourceFailed, e.Message, ct);
            return r with { Failure = new StageFailure(Reasons.SourceError, Reasons.SourceFailed, e.Message) };
        }
    }

    /// <summary>
    /// The oldest resolution of its revision a new or changed Application accepts: one made after it was
    /// created (so a thousand new apps share one ls), or, for a changed spec, one made now. creationTimestamp
    /// has whole seconds: a resolution within that second may predate the Application (and a push made just
    /// before it), so only one from the next second on counts.
    /// </summary>
    private static DateTimeOffset ResolvedNotBefore(ReconcileReport r) =>
        r.Previous.ObservedGeneration is null && r.App.CreatedAt is { } created ? created.AddSeconds(1) : r.Now;

    /// <summary>2. Render: the desired objects, or a failure naming the file, line and commit.</summary>
    private async Task<ReconcileReport> RenderAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var timer = Stopwatch.GetTimestamp();
        try
        {
            var desired = await desiredState.BuildAsync(r.App, r.Snapshot!, run.Destination.Discovery, run.Destination.Scope, ct);
            metrics.RenderDuration.WithLabels(desired.Renderer, "success").Observe(Stopwatch.GetElapsedTime(timer).TotalSeconds);
            return r with { Desired = desired };
        }
        catch (RenderException e)
        {
            metrics.RenderDuration.WithLabels(e.Renderer ?? "unknown", "error").Observe(Stopwatch.GetElapsedTime(timer).TotalSeconds);
            // The message names the commit it looked at: a path pushed since is then plainly not a mystery.
            var message = $"{e.Describe()} (at {SyncOperation.Short(r.Revision)})";
            await events.WarningAsync(r.App.Object, Reasons.RenderFailed, message, ct);
            return r with { Failure = new StageFailure(Reasons.RenderError, Reasons.RenderFailed, message) };
        }
    }

    /// <summary>The Project's bounds on each object, and its guardrails: a blocking violation applies and prunes nothing.</summary>
    private async Task<ReconcileReport> PolicyAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var rendered = r.Desired!.All.ToList();
        var violations = ProjectBounds.CheckObjects(r.Project!, rendered).Concat(GuardrailChecker.Check(rendered, r.Project!.Guardrails));
        r = r with { Violations = violations };
        if (violations.HasBlocking) return await PolicyFailureAsync(r, violations, ct);
        if (violations.Violations.Count > 0 && StatusBuilder.ViolationsChanged(r))
            await events.WarningAsync(r.App.Object, Reasons.PolicyViolation, $"policy warnings: {string.Join("; ", violations.Violations.Take(5))}", ct);
        return r;
    }

    /// <summary>Out of the Project's bounds or against a blocking guardrail: nothing is applied, and nothing it manages is pruned.</summary>
    private async Task<ReconcileReport> PolicyFailureAsync(ReconcileReport r, PolicyReport report, CancellationToken ct)
    {
        r = r with { Violations = r.Violations ?? report };
        var blocking = report.Blocking.ToList();
        var reason = blocking.All(v => GuardrailChecker.Names.Contains(v.Rule)) ? Reasons.GuardrailBlocked : Reasons.ProjectDenied;
        var at = r.Revision is null ? "" : $" at {SyncOperation.Short(r.Revision)}";
        var message = $"{blocking.Count} violation(s){at}, nothing applied: {string.Join("; ", blocking.Take(10))}";
        r = r with { Failure = new StageFailure(Reasons.PolicyViolation, reason, message) };
        if (StatusBuilder.ViolationsChanged(r) || !r.Previous.Conditions.Any(c => c.Reason == reason))
            await events.WarningAsync(r.App.Object, reason, message, ct);
        return r;
    }

    /// <summary>3. Compare: the live side of every desired and previously managed object, and how each differs from Git.</summary>
    private async Task<ReconcileReport> CompareAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        await run.Destination.Namespaces.EnsureAsync(r.App, r.Write, ct);
        var desired = r.Desired!.Manifests.Select(m => m.Key).ToHashSet();
        var inventory = r.PreviousInventory;
        var untracked = run.Destination.Cache.TrackedBy(r.App.Identity).Where(k => !desired.Contains(k) && !inventory.Keys.Contains(k)).Order().ToList();
        if (untracked.Count > 0)
            log.LogInformation("{Count} live object(s) carry this Application's tracking id but are in neither Git nor its inventory: {Objects}",
                untracked.Count, string.Join(", ", untracked.Take(10)));
        r = r with { Untracked = untracked };
        return r with { Live = await run.Destination.Comparer.CompareAsync(r.App, r.Write, r.Desired!.Manifests, r.KnownInventory, ct) };
    }

    /// <summary>4. Plan: what to apply, prune, hold or leave, by the sync policy, the Project's sync windows and any sync carried on.</summary>
    private Task<ReconcileReport> PlanAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var policy = r.App.Spec.SyncPolicy;
        var automated = policy?.Automated;
        var carry = SyncOperation.CarryOn(r.Previous.OperationState ?? OperationState.None, r.Revision!, (policy?.Retry ?? new()).Limit, run.Requests.Sync is not null);
        // Sync windows of the Project: outside them the plan is only reported, as without automated sync.
        var window = SyncWindowVerdict.Evaluate(r.Project!.SyncWindows, r.App.Name, r.App.DestinationNamespace, r.Now);
        var retryLimit = (policy?.Retry ?? new()).Limit;
        var exhausted = automated is not null && !carry.Manual && r.Previous.ObservedGeneration == r.App.Generation
            && SyncOperation.RetriesExhausted(r.Previous.OperationState ?? OperationState.None, r.Revision!, retryLimit);
        var automatedNow = automated is not null && window.AutomatedAllowed && !exhausted;
        var manualNow = carry.Manual && window.ManualAllowed;
        var windowMessage = (automated is not null && !window.AutomatedAllowed) || (carry.Manual && !window.ManualAllowed)
            ? window.Message + (carry.Manual && !window.ManualAllowed ? " (the manual sync was refused too)" : "")
            : null;
        var plan = PlanBuilder.Build(new PlanInput(
            r.App.Identity, r.Desired!.Manifests, r.Live!.Objects, r.KnownInventory,
            new SyncPolicy(
                Automated: automatedNow,
                Prune: (automatedNow && (automated?.Prune ?? false)) || manualNow,
                SelfHeal: automatedNow && (automated?.SelfHeal ?? false),
                AllowEmpty: automated?.AllowEmpty ?? false,
                PruneLast: policy?.HasOption("PruneLast=true") ?? false,
                PruneLimit: policy?.PruneLimit?.ToString(),
                ManualSyncRequested: manualNow),
            r.Now,
            r.RevisionChanged || carry.Continuing) { Health = r.HealthRules });
        var heldBack = exhausted
            ? $"the sync of {SyncOperation.Short(r.Revision)} failed {r.Previous.OperationState!.RetryCount} time(s), its retries are used up: automated sync waits for a new commit, a spec change or a manual sync (gitops sync)"
            : null;
        return Task.FromResult(r with { Plan = plan, Carry = carry, SyncWindowMessage = windowMessage, RetriesExhaustedMessage = heldBack });
    }

    /// <summary>5-6. Apply and prune what the plan says, wave by wave; then the inventory.</summary>
    private async Task<ReconcileReport> ApplyAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct)
    {
        var plan = r.Plan!;
        if (!plan.IsNoOp)
        {
            log.LogInformation("syncing {Revision}: {Summary}", SyncOperation.Short(r.Revision), plan.Summary);
            // The event goes out while the plan runs (one round trip less per sync; events are best effort).
            var started = events.NormalAsync(r.App.Object, "SyncStarted", $"syncing {SyncOperation.Short(r.Revision)}: {plan.Summary}", ct);
            try
            {
                r = await SyncAsync(r, run.Destination, plan, ct);
            }
            finally
            {
                await started;
            }
            await RecordSyncAsync(r, ct);
        }
        if (plan.PruneBlocked && r.Previous.Find(Reasons.PruneBlocked) is null)
            await events.WarningAsync(r.App.Object, Reasons.PruneBlocked, plan.PruneBlockedMessage ?? "prune blocked", ct);
        return r with { Inventory = StatusBuilder.NextInventory(plan, r.Changes, r.Errors) };
    }

    /// <summary>
    /// One sync: PreSync hooks, the plan's applies and prunes, Sync hooks, then (the sync done, its objects
    /// healthy) PostSync hooks; when anything failed, the SyncFail hooks. A failed hook is a failure of the
    /// sync with the hook's own message. A sync carried on for its later waves does not run its PreSync and
    /// Sync hooks again; its PostSync hooks run once no wave waits.
    /// </summary>
    private static async Task<ReconcileReport> SyncAsync(ReconcileReport r, DestinationCluster destination, SyncPlan plan, CancellationToken ct)
    {
        var desiredHooks = r.Desired!.Hooks;
        var ran = new List<HookRun>();
        async Task<bool> RunAsync(HookKind kind)
        {
            var results = await destination.Hooks.RunAsync(r.App, r.Write, desiredHooks, kind, ct);
            ran.AddRange(results);
            return results.All(h => h.Succeeded);
        }
        var wavesCarriedOn = r.Carry.Continuing && r.Previous.OperationState?.Phase == OperationState.Running;
        var changes = ChangeSet.Empty;
        var ok = wavesCarriedOn || await RunAsync(HookKind.PreSync);
        if (ok)
        {
            changes = await destination.Executor.ExecuteAsync(r.App, r.Write, plan, ct);
            ok = changes.Errors.Count == 0 && (wavesCarriedOn || await RunAsync(HookKind.Sync));
            var postSync = desiredHooks.Where(h => h.Kinds.Contains(HookKind.PostSync)).ToList();
            if (ok && plan.WaitingForWave is null && postSync.Count > 0)
            {
                var unhealthy = await destination.Hooks.WaitHealthyAsync(changes.LiveAfter, postSync.Max(h => h.Timeout), ct);
                if (unhealthy is not null)
                    ran.Add(new HookRun(postSync[0].Manifest.Key, new HookStatus(nameof(HookKind.PostSync), "(not run)", nameof(HookPhase.Failed), unhealthy)));
                ok = unhealthy is null && await RunAsync(HookKind.PostSync);
            }
        }
        if (!ok && desiredHooks.Count > 0) await RunAsync(HookKind.SyncFail);
        var hookFailures = ran.Where(h => !h.Succeeded && h.Status.Kind != nameof(HookKind.SyncFail))
            .Select(h => new Change(h.Key, ChangeAction.Failed, Error: $"{h.Status.Kind} hook {h.Status.Object} failed: {h.Status.Message}"));
        return r with { Changes = new ChangeSet([.. changes.Changes, .. hookFailures]), SyncAttempted = true, Hooks = [.. ran.Select(h => h.Status)] };
    }

    /// <summary>7. Health of every desired object after the sync, and of the Application.</summary>
    private Task<ReconcileReport> HealthAsync(ReconcileReport r, ReconcileRun run, CancellationToken ct) =>
        Task.FromResult(r with { Health = HealthReport.Assess(r.Plan!, r.Changes, r.HealthRules) });

    private async Task RecordSyncAsync(ReconcileReport r, CancellationToken ct)
    {
        var (app, changes, errors) = (r.App, r.Changes, r.Errors);
        metrics.SyncTotal.WithLabels(app.Namespace, app.Name, errors.Count > 0 ? "failed" : "succeeded").Inc();
        var applied = changes.Applied.ToList();
        var pruned = changes.Pruned.Select(k => k.ToString()).ToList();
        var healed = r.HealedObjects;
        if (healed > 0) metrics.DriftHealedTotal.WithLabels(app.Namespace, app.Name).Inc(healed);
        var at = SyncOperation.Short(r.Revision);
        if (errors.Count > 0)
            await events.WarningAsync(app.Object, Reasons.SyncError, $"sync of {at} failed: {string.Join("; ", errors.Values.Take(5))}", ct);
        else
            await events.NormalAsync(app.Object, healed > 0 && applied.Count == healed && pruned.Count == 0 ? "DriftHealed" : "Synced",
                $"synced {at}: applied {applied.Count}, pruned {pruned.Count}", ct);
        if (pruned.Count > 0)
            await events.NormalAsync(app.Object, "Pruned", $"pruned {string.Join(", ", pruned.Take(10))}", ct);
        if (changes.Recreated.Any())
            await events.NormalAsync(app.Object, "Recreated", $"deleted and created again (an immutable field changed; Force=true): {string.Join(", ", changes.Recreated.Take(10))}", ct);
    }
}

/// <summary>A stage threw (an API fault, a bug): the report as it stood before that stage, and the exception.</summary>
public sealed class StageException(ReconcileReport report, Exception inner) : Exception(inner.Message, inner)
{
    public ReconcileReport Report { get; } = report;
}
