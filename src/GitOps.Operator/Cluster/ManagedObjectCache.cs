using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;

namespace GitOps.Operator.Cluster;

/// <summary>
/// The live side of every comparison: one label-selected informer per managed kind
/// (gitops.dev/managed-by=gitops-operator), started when a kind is first managed. Every change
/// or deletion of a managed object is reported with the Application its tracking id names, so
/// that Application is reconciled at once (self-heal in seconds, not at the next interval).
/// </summary>
public sealed class ManagedObjectCache(IKubeApi api, InformerOptions options, Action<string, string> onManagedObjectChanged) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string ApiVersion, string Kind), Lazy<ResourceInformer>> _informers = new();

    public static string LabelSelector => $"{Annotations.ManagedByLabel}={Annotations.ManagedByValue}";

    /// <summary>The informer of a kind, started on first use; waits (bounded) until it has listed.</summary>
    public async Task<ResourceInformer> EnsureAsync(ResourceInfo resource, CancellationToken ct)
    {
        var informer = _informers.GetOrAdd((resource.ApiVersion, resource.Kind), _ => new Lazy<ResourceInformer>(() =>
        {
            var i = new ResourceInformer(api, resource, null, LabelSelector, options, Route);
            i.Start();
            return i;
        })).Value;
        await informer.WaitForSyncAsync(ct);
        return informer;
    }

    public ResourceInformer? Find(string apiVersion, string kind) =>
        _informers.TryGetValue((apiVersion, kind), out var lazy) && lazy.IsValueCreated ? lazy.Value : null;

    public IEnumerable<ResourceInformer> Informers => _informers.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    private void Route(InformerEvent e)
    {
        var tracking = (string?)e.Object["metadata"]?["annotations"]?[Annotations.TrackingId];
        if (tracking is null) return;
        var colon = tracking.IndexOf(':', StringComparison.Ordinal);
        var app = colon > 0 ? tracking[..colon] : null;
        var slash = app?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (app is null || slash <= 0) return;
        onManagedObjectChanged(app[..slash], app[(slash + 1)..]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _informers.Values.Where(l => l.IsValueCreated)) await lazy.Value.DisposeAsync();
    }
}
