using System.Text.Json.Nodes;
using GitOps.Engine.Plan;
using GitOps.Operator.Status;
using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// The controller: an informer on Applications (all namespaces, or one), a work queue fed by it and
/// by managed-object changes, and N workers running the reconciler. Workers start only after the
/// Application cache has synced. The informer (the read side: the dashboard, /readyz) runs on every
/// replica from <see cref="StartInformer"/>; the queue and workers only on the leader.
/// </summary>
public sealed class ApplicationController : IApplicationStore, IAsyncDisposable
{
    public static ResourceInfo ApplicationsResource { get; } = new("gitops.dev", "v1alpha1", "Application", "applications", true);

    private readonly IKubeApi _api;
    private readonly ControllerOptions _options;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger<ApplicationController> _log;
    private readonly WorkQueue<AppIdentity> _queue;
    private ResourceInformer? _informer;
    private readonly Lock _informerLock = new();
    // Only the leader queues work: a standby's informer events would pile up keys nobody takes.
    private volatile bool _working;
    // Applications another shard reconciles, kept from the informer's events so the hot Enqueue path needs no parse.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<AppIdentity, byte> _otherShards = new();

    private readonly Cluster.Remote.ClusterRegistrations? _registrations;

    /// <param name="registrations">Registered clusters, read when sharded (an Application of a registered cluster goes to that cluster's shard).</param>
    public ApplicationController(IKubeApi api, ControllerOptions options, OperatorMetrics metrics, TimeProvider time, ILogger<ApplicationController> log,
        Cluster.Remote.ClusterRegistrations? registrations = null)
    {
        _registrations = options.Sharding.IsSharded ? registrations : null;
        _api = api;
        _options = options;
        _metrics = metrics;
        _log = log;
        _queue = new WorkQueue<AppIdentity>(RateLimiters.Default<AppIdentity>(time), time)
        {
            OnTaken = waited => metrics.QueueLatency.Observe(waited.TotalSeconds),
        };
        metrics.Registry.AddBeforeCollectCallback(() => metrics.QueueDepth.Set(_queue.Length));
    }

    public WorkQueue<AppIdentity> Queue => _queue;

    public bool HasSynced => _informer?.HasSynced == true;

    public bool IsFailing => _informer?.IsFailing == true;

    public JsonObject? Get(string ns, string name) => _informer?.Get(ns, name);

    public void ObserveWrite(JsonObject written, string basedOnResourceVersion) => _informer?.ObserveWrite(written, basedOnResourceVersion);

    public IReadOnlyList<JsonObject> List() => _informer?.List() ?? [];

    public Sharding Sharding => _options.Sharding;

    /// <summary>Raised with (namespace, name) for every change of an Application the informer sees, status included (the dashboard pushes them).</summary>
    public event Action<string, string>? Changed;

    /// <summary>Queues an Application for a reconcile, unless it belongs to another shard; an urgent one goes ahead of the others.</summary>
    public void Enqueue(string ns, string name, bool urgent = false)
    {
        if (!_working) return;
        var key = new AppIdentity(ns, name);
        if (_otherShards.ContainsKey(key)) return;
        _queue.Add(key, urgent);
        _metrics.QueueDepth.Set(_queue.Length);
    }

    /// <summary>Runs until cancelled: watch Applications, then process the queue with the workers.</summary>
    public async Task RunAsync(ApplicationReconciler reconciler, CancellationToken ct)
    {
        await StartRegistrationsAsync(ct);
        var informer = StartInformer();
        await WaitForApplicationsAsync(informer, ct);
        _working = true;
        // The informer may have synced long before (on a standby, before the registered clusters were
        // known): its events queued nothing and may have placed Applications on the wrong shard.
        foreach (var app in informer.List())
        {
            TrackShard(new InformerEvent(WatchEventType.Modified, app));
            Enqueue((string?)app["metadata"]?["namespace"] ?? "", (string?)app["metadata"]?["name"] ?? "");
        }
        _log.LogInformation("watching Applications{Scope}; {Count} found, {Workers} workers{Shard}",
            _options.Namespace is null ? " in all namespaces" : $" in {_options.Namespace}", informer.Count, _options.Workers,
            _options.Sharding.IsSharded ? $"; shard {_options.Sharding.Shard} of {_options.Sharding.Shards}: {informer.List().Count(Owns)} of them" : "");
        var workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => WorkAsync(reconciler, ct)).ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            _working = false;
            _queue.ShutDown();
        }
    }

    /// <summary>Starts the Application informer once (every replica calls it, leader or not); later calls return the same one.</summary>
    public ResourceInformer StartInformer()
    {
        lock (_informerLock)
        {
            if (_informer is not null) return _informer;
            _informer = NewInformer();
            _informer.Start();
            return _informer;
        }
    }

    private ResourceInformer NewInformer() =>
        new(_api, ApplicationsResource, _options.Namespace, null, InformerOptions.Default, e =>
        {
            var meta = e.Object["metadata"];
            if (meta is null) return;
            TrackShard(e);
            WakeDependents(e);
            Changed?.Invoke((string?)meta["namespace"] ?? "", (string?)meta["name"] ?? "");
            if (!ApplicationChange.Matters(e)) return;
            Enqueue((string?)meta["namespace"] ?? "", (string?)meta["name"] ?? "");
        }, withPrevious: true, stopWhenNotServed: false);

    /// <summary>Applications that depend on others, by dependency: a dependency that becomes Ready wakes them at once.</summary>
    public DependencyIndex Dependencies { get; } = new();

    private void WakeDependents(InformerEvent e)
    {
        var app = new AppIdentity((string?)e.Object["metadata"]?["namespace"] ?? "", (string?)e.Object["metadata"]?["name"] ?? "");
        var deleted = e.Type == WatchEventType.Deleted;
        Dependencies.Track(app, deleted ? [] : Applications.Application.DependenciesOf(e.Object));
        foreach (var dependent in Dependencies.ToWake(app, deleted ? null : e.Object, e.Type == WatchEventType.Modified ? e.Previous : null))
            Enqueue(dependent.Namespace, dependent.Name);
    }

    private void TrackShard(InformerEvent e)
    {
        if (!_options.Sharding.IsSharded) return;
        var key = new AppIdentity((string?)e.Object["metadata"]?["namespace"] ?? "", (string?)e.Object["metadata"]?["name"] ?? "");
        if (e.Type != WatchEventType.Deleted && !Owns(e.Object)) _otherShards[key] = 0;
        else _otherShards.TryRemove(key, out _);
    }

    /// <summary>Whether this replica's shard reconciles the Application.</summary>
    public bool Owns(JsonObject app) => _options.Sharding.Owns(app, _registrations is null ? null : _registrations.ShardLabelOf);

    /// <summary>
    /// Sharded, the registered clusters are watched before the Applications: an Application of a registered
    /// cluster belongs to that cluster's shard. A registration whose shard label changes moves its Applications.
    /// </summary>
    private async Task StartRegistrationsAsync(CancellationToken ct)
    {
        if (_registrations is null) return;
        _registrations.Changed += cluster =>
        {
            foreach (var app in _informer?.List() ?? [])
            {
                if (Sharding.ClusterNameOf(app) != cluster) continue;
                TrackShard(new InformerEvent(WatchEventType.Modified, app));
                Enqueue((string?)app["metadata"]?["namespace"] ?? "", (string?)app["metadata"]?["name"] ?? "");
            }
        };
        _registrations.Start();
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(TimeSpan.FromSeconds(30));
            await _registrations.WaitForSyncAsync(bounded.Token);
        }
        catch (Exception e) when (e is KubeApiException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            _log.LogWarning("cannot list the registered clusters in {Namespace} (their shard labels are not known until it can): {Error}", "the operator's namespace", e.Message);
        }
    }

    /// <summary>
    /// Waits until Applications are listed. A refusal (the CRD not installed yet, RBAC missing) is logged
    /// and waited out, not fatal: the informer keeps retrying, and the operator starts once it can list.
    /// </summary>
    private async Task WaitForApplicationsAsync(ResourceInformer informer, CancellationToken ct)
    {
        var logged = false;
        while (!informer.HasSynced)
        {
            try
            {
                await informer.WaitForSyncAsync(ct);
            }
            catch (KubeApiException e)
            {
                if (!logged) _log.LogWarning("cannot list Applications yet (is the CRD installed, may this account list them?): {Error}", e.Message);
                logged = true;
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private async Task WorkAsync(ApplicationReconciler reconciler, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var (ok, key) = await _queue.GetAsync(ct);
            if (!ok) return;
            _metrics.QueueDepth.Set(_queue.Length);
            using var scope = _log.BeginScope(new Dictionary<string, object>
            {
                ["application"] = $"{key.Namespace}/{key.Name}",
                ["namespace"] = key.Namespace,
                ["name"] = key.Name,
                ["revision"] = ShortRevision(key),
            });
            try
            {
                var result = await reconciler.ReconcileAsync(key, ct);
                if (result.Error is { } error)
                {
                    _log.LogWarning("{Key}: reconcile failed, will retry: {Error}", key, error);
                    _queue.AddRateLimited(key);
                    continue;
                }
                _queue.Forget(key);
                if (result.RequeueAfter is { } after) _queue.AddAfter(key, after);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // Read a version behind (mostly the operator's own last status write, not in the cache yet): expected, retried quietly.
                _log.LogDebug("{Error}; will retry", e.Message);
                _queue.AddRateLimited(key);
            }
            catch (Exception e)
            {
                _log.LogWarning("{Key}: reconcile failed, will retry: {Error}", key, e.Message);
                _queue.AddRateLimited(key);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    /// <summary>The revision the Application was last synced at, for log lines about it.</summary>
    private string ShortRevision(AppIdentity key) =>
        _informer?.Get(key.Namespace, key.Name) is { } app ? ApplicationStatus.ShortRevisionOf(app) : "";

    public async ValueTask DisposeAsync()
    {
        _queue.ShutDown();
        if (_informer is not null) await _informer.DisposeAsync();
    }
}
