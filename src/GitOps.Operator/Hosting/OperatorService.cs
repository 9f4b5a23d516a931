using GitOps.Operator.Cluster;
using GitOps.Operator.Controller;
using GitOps.Operator.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Hosting;

/// <summary>
/// Runs the controller's workers while this process holds the leader Lease (coordination.k8s.io/v1),
/// so two replicas never reconcile at once (the Application informer runs on every replica); on shutdown it stops the controller and releases the Lease
/// so a standby takes over at once instead of after the lease duration.
/// </summary>
public sealed class OperatorService(
    IKubeApi api,
    TimeProvider time,
    ApplicationController controller,
    ApplicationReconciler reconciler,
    OperatorOptions options,
    OperatorMetrics metrics,
    ILogger<OperatorService> log,
    Leadership leadership) : BackgroundService
{
    public bool IsLeading => leadership.IsLeading;

    /// <summary>The holder of the Lease as last seen (a standby knows who leads), and whether the last election round failed.</summary>
    public string? KnownLeader { get; private set; }
    public string? ElectionError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        controller.StartInformer(); // every replica: a standby's dashboard reads Applications too
        if (!options.LeaderElection)
        {
            leadership.Set(true);
            metrics.IsLeader.Set(1);
            await RunControllerAsync(stoppingToken);
            return;
        }
        var elector = new LeaseElector(api, options.LeaseNamespace, options.EffectiveLeaseName, options.Identity,
            new LeaseTimings(options.LeaseDuration, options.RenewDeadline, options.RetryPeriod), time);
        CancellationTokenSource? leading = null;
        Task running = Task.CompletedTask;
        elector.StartedLeading += () =>
        {
            log.LogInformation("{Identity} acquired the leader lease {Namespace}/{Name}", options.Identity, options.LeaseNamespace, options.EffectiveLeaseName);
            leadership.Set(true);
            metrics.IsLeader.Set(1);
            leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            running = RunControllerAsync(leading.Token);
        };
        elector.StoppedLeading += () =>
        {
            if (stoppingToken.IsCancellationRequested) log.LogInformation("{Identity} stops leading: shutting down", options.Identity);
            else log.LogWarning("{Identity} lost the leader lease", options.Identity);
            leadership.Set(false);
            metrics.IsLeader.Set(0);
            metrics.ForgetAllApps();
            leading?.Cancel();
        };
        elector.Error += e =>
        {
            ElectionError = e.Message;
            log.LogWarning("leader election: {Error}", e.Message);
        };
        elector.NewLeader += leader =>
        {
            KnownLeader = leader;
            ElectionError = null;
        };
        try
        {
            await elector.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        leading?.Cancel();
        try { await running; }
        catch (OperationCanceledException) { }
        // Stopping fires StoppedLeading first, so do not ask whether we still lead: release the
        // Lease if it still names us (ReleaseAsync checks the holder).
        await ReleaseLeaseAsync(elector);
        leadership.Set(false);
    }

    private async Task RunControllerAsync(CancellationToken ct)
    {
        try
        {
            await controller.RunAsync(reconciler, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "the controller stopped unexpectedly");
            throw;
        }
    }

    /// <summary>Gives the Lease up (holder cleared, 1 s duration) so a standby need not wait for it to expire.</summary>
    private async Task ReleaseLeaseAsync(LeaseElector elector)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (await elector.ReleaseAsync(cts.Token))
                log.LogInformation("{Identity} released the leader lease", options.Identity);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
        {
            log.LogWarning("could not release the leader lease: {Error}", e.Message);
        }
    }
}
