using GitOps.Operator.Cluster;

namespace GitOps.Operator.Cluster.Remote;

/// <summary>
/// The registered clusters' Secrets in the operator's namespace (label <c>gitops.dev/cluster</c>), watched:
/// what sharding by cluster reads (each registration's <c>gitops.dev/shard</c> label). Only their
/// metadata is used; the kubeconfig is read by <see cref="ClusterSecrets"/> when a cluster is used.
/// </summary>
public sealed class ClusterRegistrations(IKubeApi api, ClusterOptions options) : IAsyncDisposable
{
    private static readonly ResourceInfo Secrets = new("", "v1", "Secret", "secrets", true);
    private ResourceInformer? _informer;

    /// <summary>Raised with a registered cluster's name when its registration appears, changes or goes.</summary>
    public event Action<string>? Changed;

    public void Start()
    {
        _informer = new ResourceInformer(api, Secrets, options.Namespace, ClusterRegistration.NameLabel, InformerOptions.Default, e =>
        {
            if ((string?)e.Object["metadata"]?["labels"]?[ClusterRegistration.NameLabel] is { Length: > 0 } name) Changed?.Invoke(name);
        });
        _informer.Start();
    }

    public Task WaitForSyncAsync(CancellationToken ct) => _informer?.WaitForSyncAsync(ct) ?? Task.CompletedTask;

    /// <summary>The <c>gitops.dev/shard</c> label of a registered cluster; null when it has none or is not registered.</summary>
    public string? ShardLabelOf(string clusterName) =>
        _informer?.Get(options.Namespace, ClusterRegistration.SecretNameOf(clusterName)) is { } secret
        && (string?)secret["metadata"]?["labels"]?[ClusterRegistration.NameLabel] == clusterName
            ? (string?)secret["metadata"]?["labels"]?[ClusterRegistration.ShardLabel]
            : null;

    public async ValueTask DisposeAsync()
    {
        if (_informer is not null) await _informer.DisposeAsync();
    }
}
