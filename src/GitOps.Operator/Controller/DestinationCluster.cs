using GitOps.Operator.Apply;
using GitOps.Operator.Cluster;
using GitOps.Operator.Cluster.Remote;
using GitOps.Operator.Compare;

namespace GitOps.Operator.Controller;

/// <summary>
/// One cluster Applications deploy to, with everything of the pipeline that talks to it: its own
/// discovery, managed-object informers, server-side apply, comparison (with a diff cache of its own),
/// apply, hooks, namespaces and cascade delete. The operator's own cluster is one; each remote
/// cluster (by its Secret and kubeconfig) is another, started when the first Application targets it.
/// </summary>
public sealed class DestinationCluster : IAsyncDisposable
{
    private readonly KubeApi? _owned;

    public DestinationCluster(ClusterRef cluster, string server, IKubeApi api, ApiDiscovery discovery, ManagedScope scope, ManagedObjectCache cache,
        ServerSideApplier applier, LiveStateComparer comparer, PlanExecutor executor, NamespaceEnsurer namespaces, HookRunner hooks, KubeApi? owned = null)
    {
        (Ref, Server, Api, Discovery, Scope, Cache, Applier, Comparer, Executor, Namespaces, Hooks) = (cluster, server, api, discovery, scope, cache, applier, comparer, executor, namespaces, hooks);
        _owned = owned;
    }

    public ClusterRef Ref { get; }
    public string Server { get; }
    public IKubeApi Api { get; }
    public ApiDiscovery Discovery { get; }
    public ManagedScope Scope { get; }
    public ManagedObjectCache Cache { get; }
    public ServerSideApplier Applier { get; }
    public LiveStateComparer Comparer { get; }
    public PlanExecutor Executor { get; }
    public NamespaceEnsurer Namespaces { get; }
    public HookRunner Hooks { get; }

    /// <summary>The Kubernetes version the cluster last answered /version with; null before it was asked.</summary>
    public string? Version { get; private set; }

    public bool IsInCluster => Ref.IsInCluster;

    /// <summary>A watch of the cluster is failing: its cached objects may be stale, so it is asked again before use.</summary>
    public bool WatchesFailing => Cache.Informers.Any(i => i.IsFailing);

    /// <summary>A remote cluster, reached with the kubeconfig of its Secret; it reports changes of managed objects to <paramref name="enqueue"/>.</summary>
    public static DestinationCluster Connect(ClusterRef cluster, Kubeconfig kubeconfig, ApplyOptions apply, Action<string, string> enqueue, Action<string, string, int>? onRequest)
    {
        var api = KubeApi.FromConfig(kubeconfig.Config);
        api.OnRequest = onRequest;
        var discovery = new ApiDiscovery(api);
        var scope = ManagedScope.Everywhere; // the remote cluster's own RBAC bounds what its credentials may do
        var cache = new ManagedObjectCache(api, InformerOptions.Default, scope, enqueue);
        var applier = new ServerSideApplier(api);
        var comparer = new LiveStateComparer(discovery, cache, applier, new DiffCache());
        return new DestinationCluster(cluster, kubeconfig.Server, api, discovery, scope, cache, applier, comparer,
            new PlanExecutor(api, discovery, applier, comparer, apply), new NamespaceEnsurer(api, scope), new HookRunner(api, discovery, applier, apply), api);
    }

    /// <summary>Asks the cluster for its version; throws <see cref="KubeApiException"/> when it does not answer.</summary>
    public async Task<string> ProbeAsync(CancellationToken ct)
    {
        var version = await Api.SendAsync(HttpMethod.Get, "/version", null, "application/json", ct);
        Version = (string?)version["gitVersion"] ?? "unknown";
        return Version;
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is null) return; // the operator's own cluster lives as long as the process
        await Cache.DisposeAsync();
        _owned.Dispose();
    }
}
