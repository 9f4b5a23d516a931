using Prometheus;

namespace GitOps.Operator.Metrics;

/// <summary>
/// The operator's Prometheus metrics, all named gitops_*. Each host has its own registry, so
/// two operators in one process (tests of failover) never mix their numbers.
/// </summary>
public sealed class OperatorMetrics
{
    public OperatorMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        AppInfo = factory.CreateGauge("gitops_app_info", "One per Application, with its sync and health status as labels.",
            "namespace", "name", "sync", "health", "repo");
        ReconcileDuration = factory.CreateHistogram("gitops_reconcile_duration_seconds", "Time spent in one reconcile of an Application.",
            new HistogramConfiguration { LabelNames = ["result"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        SyncTotal = factory.CreateCounter("gitops_sync_total", "Syncs that applied or pruned something, by result.", "namespace", "name", "result");
        DriftedObjects = factory.CreateGauge("gitops_drifted_objects", "Managed objects whose live state differs from Git.", "namespace", "name");
        DriftHeldObjects = factory.CreateGauge("gitops_drift_held_objects", "Managed objects whose drift is held by the drift-hold annotation.", "namespace", "name");
        DriftHealedTotal = factory.CreateCounter("gitops_drift_healed_total", "Drifted objects put back by self-heal.", "namespace", "name");
        SourceFetchDuration = factory.CreateHistogram("gitops_source_fetch_duration_seconds", "Time to resolve and fetch a Git source.",
            new HistogramConfiguration { LabelNames = ["result"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
        SourceErrorsTotal = factory.CreateCounter("gitops_source_errors_total", "Failures to read a Git source, by reason.", "reason");
        QueueDepth = factory.CreateGauge("gitops_workqueue_depth", "Applications waiting in the work queue.");
        ApiRequestsTotal = factory.CreateCounter("gitops_api_requests_total", "Kubernetes API requests made by the operator.", "verb", "code");
        IsLeader = factory.CreateGauge("gitops_leader", "1 when this replica holds the leader lease.");
    }

    public CollectorRegistry Registry { get; }
    public Gauge AppInfo { get; }
    public Histogram ReconcileDuration { get; }
    public Counter SyncTotal { get; }
    public Gauge DriftedObjects { get; }
    public Gauge DriftHeldObjects { get; }
    public Counter DriftHealedTotal { get; }
    public Histogram SourceFetchDuration { get; }
    public Counter SourceErrorsTotal { get; }
    public Gauge QueueDepth { get; }
    public Counter ApiRequestsTotal { get; }
    public Gauge IsLeader { get; }
}
