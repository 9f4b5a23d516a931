using System.Collections.Concurrent;
using Prometheus;

namespace GitOps.Operator.Metrics;

/// <summary>
/// The operator's Prometheus metrics, all named gitops_*. Each host has its own registry, so
/// two operators in one process (tests of failover) never mix their numbers.
/// Label values are bounded: Application namespace/name, API resource plural, verb, status code,
/// provider, result and reason enums; never a commit SHA, an object name or anything from a Secret.
/// Per-Application series are removed by <see cref="ForgetApp"/> when the Application is gone.
/// </summary>
public sealed class OperatorMetrics
{
    /// <summary>Label names of <c>gitops_app_info</c>, in order.</summary>
    public static readonly string[] AppInfoLabels = ["namespace", "name", "repo", "path", "dest_namespace", "sync_status", "health_status", "autosync", "cluster"];

    private readonly ConcurrentDictionary<(string Ns, string Name), string[]> _appInfo = new();
    private readonly ConcurrentDictionary<(string Ns, string Name), string> _driftCluster = new();

    public OperatorMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        AppInfo = factory.CreateGauge("gitops_app_info", "Information about an Application: 1 per Application, with its source, destination, sync and health status as labels.",
            AppInfoLabels);
        ReconcileDuration = factory.CreateHistogram("gitops_app_reconcile_duration_seconds", "Time spent in one reconcile of an Application.",
            new HistogramConfiguration { LabelNames = ["namespace", "name"], Buckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        SyncTotal = factory.CreateCounter("gitops_app_sync_total", "Syncs that applied or pruned something, by result (succeeded, failed).", "namespace", "name", "result");
        DriftedResources = factory.CreateGauge("gitops_app_drifted_resources", "Managed resources of an Application whose live state differs from Git, by its destination cluster (in-cluster for the operator's own).", "namespace", "name", "cluster");
        DriftHealedTotal = factory.CreateCounter("gitops_app_drift_healed_total", "Drifted resources put back to the state in Git by self-heal.", "namespace", "name");
        DriftHeldResources = factory.CreateGauge("gitops_app_drift_held_resources", "Managed resources whose self-heal is held by the gitops.dev/drift-hold annotation, by destination cluster.", "namespace", "name", "cluster");
        SourceFetchDuration = factory.CreateHistogram("gitops_source_fetch_duration_seconds", "Time to resolve and fetch an Application's Git source, by result (success, error).",
            new HistogramConfiguration { LabelNames = ["result"], Buckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        SourceFetchErrorsTotal = factory.CreateCounter("gitops_source_fetch_errors_total", "Failures to read an Application's Git source, by reason.", "namespace", "name", "reason");
        RenderDuration = factory.CreateHistogram("gitops_render_duration_seconds", "Time to render an Application's manifests (render cache hits included), by renderer (directory, kustomize, helm) and result (success, error).",
            new HistogramConfiguration { LabelNames = ["renderer", "result"], Buckets = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        QueueDepth = factory.CreateGauge("gitops_workqueue_depth", "Applications waiting in the work queue for a worker.");
        QueueLatency = factory.CreateHistogram("gitops_workqueue_latency_seconds", "Time an Application waits in the work queue before a worker takes it.",
            new HistogramConfiguration { Buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
        KubeRequestsTotal = factory.CreateCounter("gitops_kube_requests_total", "Kubernetes API requests made by the operator, by verb, resource and HTTP status code (0 = no answer).",
            "verb", "resource", "code");
        WebhookRequestsTotal = factory.CreateCounter("gitops_webhook_requests_total", "Webhook deliveries received, by provider and result.", "provider", "result");
        RenderToolDuration = factory.CreateHistogram("gitops_render_tool_duration_seconds", "Wall time of one renderer tool process (a render-cache miss), by tool (kustomize, helm).",
            new HistogramConfiguration { LabelNames = ["tool"], Buckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        RenderProcessesStarted = factory.CreateCounter("gitops_render_processes_started_total", "Renderer tool processes (kustomize, kubectl kustomize, helm) started.");
        DesiredStateCacheLookups = factory.CreateCounter("gitops_desired_state_cache_lookups_total", "Lookups of an Application's rendered, parsed desired state of an unchanged commit, by result (hit, miss).", "result");
        RenderCacheLookups = factory.CreateCounter("gitops_render_cache_lookups_total", "Lookups of rendered Kustomize and Helm output in the render cache, by result (hit, miss).", "result");
        IsLeader = factory.CreateGauge("gitops_leader", "1 when this replica holds the leader lease (or runs without leader election), else 0.");
        IsLeader.Set(0);
        NotificationsTotal = factory.CreateCounter("gitops_notifications_total", "Notification deliveries by target type (webhook, slack, teams, github, gitlab, gitea; any for an event dropped before matching) and result (delivered, failed, retried, deduplicated, dropped).",
            "type", "result");
        ShardInfo = factory.CreateGauge("gitops_shard_info", "1, labelled with this replica's shard and the number of shards (0 of 1 unsharded).", "shard", "shards");
    }

    public CollectorRegistry Registry { get; }
    public Gauge AppInfo { get; }
    public Histogram ReconcileDuration { get; }
    public Counter SyncTotal { get; }
    public Gauge DriftedResources { get; }
    public Counter DriftHealedTotal { get; }
    public Gauge DriftHeldResources { get; }
    public Histogram SourceFetchDuration { get; }
    public Counter SourceFetchErrorsTotal { get; }
    public Histogram RenderDuration { get; }
    public Histogram RenderToolDuration { get; }
    public Gauge QueueDepth { get; }
    public Histogram QueueLatency { get; }
    public Counter KubeRequestsTotal { get; }
    public Counter WebhookRequestsTotal { get; }
    public Gauge IsLeader { get; }
    public Gauge ShardInfo { get; }
    public Counter NotificationsTotal { get; }
    public Counter RenderProcessesStarted { get; }
    public Counter RenderCacheLookups { get; }
    public Counter DesiredStateCacheLookups { get; }

    /// <summary>
    /// Sets the one <c>gitops_app_info</c> series of an Application (values in the order of
    /// <see cref="AppInfoLabels"/>), removing the series it had before when a label changed.
    /// </summary>
    public void SetAppInfo(string ns, string name, string repo, string path, string destNamespace, string syncStatus, string healthStatus, bool autoSync,
        string cluster = Cluster.Remote.ClusterRef.InClusterName)
    {
        string[] labels = [ns, name, RepoLabel(repo), path, destNamespace, syncStatus, healthStatus, autoSync ? "true" : "false", cluster];
        lock (_appInfo)
        {
            if (_appInfo.TryGetValue((ns, name), out var old) && !old.SequenceEqual(labels)) AppInfo.RemoveLabelled(old);
            _appInfo[(ns, name)] = labels;
            AppInfo.WithLabels(labels).Set(1);
        }
    }

    /// <summary>
    /// Sets an Application's drift gauges (drifted, held) for its destination cluster, removing the series of
    /// a cluster it left, so one Application never has two.
    /// </summary>
    public void SetDrift(string ns, string name, string cluster, int drifted, int held)
    {
        // One reconcile of an Application at a time sets its series: the cluster it had before is known here,
        // without going through every Application's series.
        if (_driftCluster.TryGetValue((ns, name), out var before) && before != cluster)
        {
            DriftedResources.RemoveLabelled(ns, name, before);
            DriftHeldResources.RemoveLabelled(ns, name, before);
        }
        _driftCluster[(ns, name)] = cluster;
        DriftedResources.WithLabels(ns, name, cluster).Set(drifted);
        DriftHeldResources.WithLabels(ns, name, cluster).Set(held);
    }

    /// <summary>Removes every per-Application series of a deleted Application.</summary>
    public void ForgetApp(string ns, string name)
    {
        lock (_appInfo)
        {
            if (_appInfo.TryRemove((ns, name), out var old)) AppInfo.RemoveLabelled(old);
        }
        _driftCluster.TryRemove((ns, name), out _);
        RemoveWhere(ReconcileDuration, v => v[0] == ns && v[1] == name);
        RemoveWhere(SyncTotal, v => v[0] == ns && v[1] == name);
        RemoveWhere(DriftedResources, v => v[0] == ns && v[1] == name);
        RemoveWhere(DriftHealedTotal, v => v[0] == ns && v[1] == name);
        RemoveWhere(DriftHeldResources, v => v[0] == ns && v[1] == name);
        RemoveWhere(SourceFetchErrorsTotal, v => v[0] == ns && v[1] == name);
    }

    /// <summary>
    /// Removes every per-Application series (leadership lost: the new leader reports them now, and
    /// stale copies from a standby would double alerts).
    /// </summary>
    public void ForgetAllApps()
    {
        foreach (var (ns, name) in AppInfo.GetAllLabelValues().Select(v => (v[0], v[1])).Distinct().ToList()) ForgetApp(ns, name);
        foreach (var (ns, name) in DriftedResources.GetAllLabelValues().Select(v => (v[0], v[1])).Distinct().ToList()) ForgetApp(ns, name);
    }

    /// <summary>Counts one Kubernetes API request.</summary>
    public void CountKubeRequest(string verb, string resource, int code) =>
        KubeRequestsTotal.WithLabels(verb, resource, code.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();

    /// <summary>A repository URL fit for a label: user info (credentials) and query strings removed.</summary>
    public static string RepoLabel(string repo)
    {
        var at = repo.IndexOf('@', StringComparison.Ordinal);
        var scheme = repo.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && at > scheme)
        {
            var slash = repo.IndexOf('/', scheme + 3);
            if (slash < 0 || at < slash) repo = repo[..(scheme + 3)] + repo[(at + 1)..];
        }
        var query = repo.IndexOfAny(['?', '#']);
        return query >= 0 ? repo[..query] : repo;
    }

    private static void RemoveWhere<TChild>(Collector<TChild> collector, Func<string[], bool> match) where TChild : ChildBase
    {
        foreach (var labels in collector.GetAllLabelValues().Where(match).ToList()) collector.RemoveLabelled(labels);
    }
}
