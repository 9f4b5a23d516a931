using System.Diagnostics;
using System.Text.Json;
using GitOps.Engine.Operation;
using GitOps.Engine.Plan;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using GitOps.Operator.Projects;
using GitOps.Operator.Status;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// Reconciles one Application, level-based: it always starts from the cached object. This is the
/// outer shell: deletion (cascade), an unreadable spec, suspend, the status write and the metrics;
/// the stages themselves are the <see cref="ReconcilePipeline"/>.
/// </summary>
public sealed class ApplicationReconciler(
    IApplicationStore applications,
    ReconcilePipeline pipeline,
    CascadeDelete cascade,
    DestinationClusters clusters,
    StatusWriter status,
    EventRecorder events,
    OperatorMetrics metrics,
    ProjectStore projects,
    Notifications.NotificationDispatcher notifications,
    TimeProvider time,
    ControllerOptions options,
    ILogger<ApplicationReconciler> log)
{
    public async Task<ReconcileResult> ReconcileAsync(AppIdentity key, CancellationToken ct)
    {
        var obj = applications.Get(key.Namespace, key.Name);
        if (obj is null)
        {
            // Gone: its per-Application series go with it, and its hold on a remote cluster's connection.
            metrics.ForgetApp(key.Namespace, key.Name);
            await clusters.ReleaseAsync(key);
            return ReconcileResult.Done;
        }
        var started = Stopwatch.GetTimestamp();
        using var scope = log.BeginScope(new Dictionary<string, object>
        {
            ["application"] = key.ToString(),
            ["namespace"] = key.Namespace,
            ["name"] = key.Name,
        });
        var app = new Application(obj, new ApplicationSpec());
        try
        {
            app = Application.Parse(obj);
        }
        catch (JsonException e) when (app.IsDeleting)
        {
            log.LogWarning("the spec of {Application} cannot be read ({Error}); its cascade delete acts as the operator's default account", key, e.Message);
        }
        catch (JsonException e)
        {
            return await StalledAsync(new ReconcileReport(app, ApplicationStatus.Of(obj), time.GetUtcNow()),
                new TerminalReconcileException(Reasons.Stalled, Reasons.InvalidSpec, $"spec cannot be read: {e.Message}"), ct);
        }
        if (app.IsDeleting)
        {
            try
            {
                return await FinalizeAsync(app, ct);
            }
            finally
            {
                metrics.ForgetApp(key.Namespace, key.Name);
            }
        }
        var result = await ReconcileLiveAsync(app, ct);
        metrics.ReconcileDuration.WithLabels(key.Namespace, key.Name).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    private async Task<ReconcileResult> ReconcileLiveAsync(Application app, CancellationToken ct)
    {
        var previous = ApplicationStatus.Of(app.Object);
        var requests = OperatorRequests.Of(app, previous);
        var report = new ReconcileReport(app, previous, time.GetUtcNow()) { HandledSyncRequest = requests.Sync, HandledRefreshRequest = requests.Refresh };
        if (app.Spec.Suspend)
        {
            await WriteAsync(report with { Suspended = true }, ct);
            return ReconcileResult.Done;
        }
        try
        {
            report = await pipeline.RunAsync(report, requests, ct);
        }
        catch (StageException e) when (e.InnerException is TerminalReconcileException terminal)
        {
            return await StalledAsync(e.Report, terminal, ct);
        }
        catch (StageException e)
        {
            // Outside the stages' own handling (an API refusal such as a 403, a fault): the status says so,
            // rather than keeping whatever the report held (which read as Synced).
            var message = FailureMessage(e.InnerException!);
            report = e.Report with { Failure = new StageFailure(Reasons.SyncError, Reasons.ReconcileFailed, message, Transient: true) };
            await events.WarningAsync(app.Object, Reasons.SyncError, message, ct);
        }
        await WriteAsync(report, ct);
        return report.Failure switch
        {
            { Transient: true } failure => ReconcileResult.Failed(failure.Message),
            not null => ReconcileResult.After(Jitter(app.Spec.IntervalValue)),
            null => ReconcileResult.After(NextRunAfter(report)),
        };
    }

    /// <summary>A configuration error: Stalled, with the reason; not retried until the spec changes.</summary>
    private async Task<ReconcileResult> StalledAsync(ReconcileReport report, TerminalReconcileException e, CancellationToken ct)
    {
        log.LogError("{Application}: stalled: {Reason}: {Message}", report.App, e.Reason, e.Message);
        if (report.Previous.Find(Reasons.Stalled)?.Message != e.Message)
            await events.WarningAsync(report.App.Object, e.Reason, e.Message, ct);
        await WriteAsync(report with { Failure = new StageFailure(e.Condition, e.Reason, e.Message, Stalled: true) }, ct);
        return ReconcileResult.Done;
    }

    /// <summary>The cascade delete, in the Application's destination cluster; one that cannot be reached is tried again with backoff.</summary>
    private async Task<ReconcileResult> FinalizeAsync(Application app, CancellationToken ct)
    {
        DestinationCluster destination;
        try
        {
            destination = await clusters.ResolveAsync(app, ct);
        }
        catch (Exception e) when (e is Cluster.Remote.ClusterCredentialsException or TerminalReconcileException)
        {
            log.LogWarning("the objects of {Application} cannot be deleted now: {Error}", app.Identity, e.Message);
            return ReconcileResult.Failed(e.Message);
        }
        return await cascade.FinalizeAsync(app, await WriteOptionsAsync(app, ct), destination, ct);
    }

    /// <summary>Whom the Application's writes act as, outside a reconcile (its cascade delete): its Project may name the account.</summary>
    private async Task<WriteOptions> WriteOptionsAsync(Application app, CancellationToken ct)
    {
        string? projectAccount = null;
        try { projectAccount = (await projects.GetAsync(app.Spec.Project, ct)).ServiceAccountName; }
        catch (ProjectException e) when (!e.Transient) { }
        return WriteOptions.For(app, projectAccount, options.DefaultServiceAccount);
    }

    private async Task WriteAsync(ReconcileReport report, CancellationToken ct)
    {
        var built = StatusBuilder.Build(report);
        if (await status.WriteAsync(report.App, built, ct) is { } written && report.App.ResourceVersion is { } basedOn)
            applications.ObserveWrite(written, basedOn);
        ReportMetrics(report, built);
        // After the status write, never inside a stage: this only queues, a receiver is never waited for.
        notifications.Notify(report, built);
    }

    private static TimeSpan NextRunAfter(ReconcileReport r)
    {
        var retry = SyncOperation.RetryDelay(r.Previous.OperationState ?? OperationState.None, r.Outcome, r.App.Spec.SyncPolicy?.Automated is not null,
            (r.App.Spec.SyncPolicy?.Retry ?? new RetrySpec()).ToPolicy());
        var holdEnds = r.Plan!.Tasks.Where(t => t.Action == SyncAction.Hold)
            .Select(t => Engine.Drift.DriftPolicy.ActiveHold(t.Live, r.Now)?.HoldUntil).OfType<DateTimeOffset>();
        return NextRun.After(Jitter(r.App.Spec.IntervalValue), r.Now, holdEnds, r.Plan.WaitingForWave is not null, retry);
    }

    private static string FailureMessage(Exception e) => e switch
    {
        KubeApiException k => $"the API server answered {k.Code} {k.Reason}: {k.Message}",
        _ => $"reconcile failed: {Source.UrlRedactor.Redact(e.Message)}",
    };

    /// <summary>
    /// The per-Application series after a reconcile. Drifted resources are the live objects that
    /// differ from Git and were not put back in this reconcile (self-heal off, held, or failed).
    /// </summary>
    private void ReportMetrics(ReconcileReport r, ApplicationStatus built)
    {
        var (ns, name) = (r.App.Namespace, r.App.Name);
        var errors = r.Errors;
        var drifted = r.Plan?.Tasks.Count(t => t.Desired is not null && t.Live is not null
            && t.Reason is PlanReasons.OutOfSync or PlanReasons.Modified or PlanReasons.DriftHeld
            && (t.Action != SyncAction.Apply || errors.ContainsKey(t.Key))) ?? 0;
        var cluster = Cluster.Remote.ClusterRef.LabelOf(r.App);
        metrics.SetDrift(ns, name, cluster, drifted, r.Plan?.Tasks.Count(t => t.Action == SyncAction.Hold) ?? 0);
        // Counters start at 0 so that increase() sees the first heal or sync.
        metrics.DriftHealedTotal.WithLabels(ns, name);
        metrics.SyncTotal.WithLabels(ns, name, "succeeded");
        metrics.SyncTotal.WithLabels(ns, name, "failed");
        metrics.SetAppInfo(ns, name, r.App.Spec.Source.RepoURL, r.App.Spec.Source.Path, r.App.Spec.Destination.Namespace,
            built.Sync?.Status ?? "Unknown", built.Health?.Status ?? "Unknown", r.App.Spec.SyncPolicy?.Automated is not null, cluster);
    }

    private static TimeSpan Jitter(TimeSpan t) => TimeSpan.FromTicks((long)(t.Ticks * (0.9 + Random.Shared.NextDouble() * 0.2)));
}
