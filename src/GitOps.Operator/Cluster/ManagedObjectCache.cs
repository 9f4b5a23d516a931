using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;

namespace GitOps.Operator.Cluster;

/// <summary>
/// The live side of every comparison: one label-selected informer per managed kind
/// (gitops.dev/managed-by=gitops-operator), started when a kind is first managed; with a restricted
/// <see cref="ManagedScope"/>, one per kind and managed namespace instead. Every change or deletion
/// of a managed object is reported with the Application its tracking id names, so that Application
/// is reconciled at once (self-heal in seconds, not at the next interval).
/// </summary>
public sealed class ManagedObjectCache(IKubeApi api, InformerOptions options, ManagedScope scope, Action<string, string> onManagedObjectChanged) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string ApiVersion, string Kind, string? Namespace), Lazy<ResourceInformer>> _informers = new();
    private readonly ConcurrentDictionary<Engine.Plan.AppIdentity, ConcurrentDictionary<Engine.Model.ResourceKey, byte>> _tracked = new();

    public static string LabelSelector => $"{Annotations.ManagedByLabel}={Annotations.ManagedByValue}";

    /// <summary>
    /// The live managed object, from the informer of its kind (started on first use; waits, bounded,
    /// until it has listed). Null when it does not exist, or lies outside the scope (the operator cannot see it).
    /// </summary>
    public async Task<System.Text.Json.Nodes.JsonObject?> GetAsync(ResourceInfo resource, string ns, string name, CancellationToken ct)
    {
        if (!scope.Allows(resource.Namespaced, ns)) return null;
        var informerNamespace = scope.IsRestricted ? ns : null;
        var key = (resource.ApiVersion, resource.Kind, informerNamespace);
        // A kind that stopped being served may be served again (the CRD re-created): look again.
        if (_informers.TryGetValue(key, out var known) && known.IsValueCreated && known.Value.IsGone && _informers.TryRemove(KeyValuePair.Create(key, known)))
            await known.Value.DisposeAsync();
        var informer = _informers.GetOrAdd(key, _ => new Lazy<ResourceInformer>(() =>
        {
            var i = new ResourceInformer(api, resource, informerNamespace, LabelSelector, options, Route, withPrevious: false, stopWhenNotServed: true);
            i.Start();
            return i;
        })).Value;
        try
        {
            await informer.WaitForSyncAsync(ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null; // the API does not serve the kind: no object of it exists
        }
        return informer.Get(resource.Namespaced ? ns : null, name);
    }

    public IEnumerable<ResourceInformer> Informers => _informers.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    /// <summary>
    /// The live objects (of the kinds watched so far) whose tracking id names this Application and their own
    /// key, hooks left out: what its inventory lacks when a process died between an apply and the status
    /// write that records it, so that they are still pruned when Git drops them.
    /// </summary>
    public IReadOnlyCollection<Engine.Model.ResourceKey> TrackedBy(Engine.Plan.AppIdentity app) =>
        _tracked.TryGetValue(app, out var keys) ? [.. keys.Keys] : [];

    private void Route(InformerEvent e)
    {
        var tracking = (string?)e.Object["metadata"]?["annotations"]?[Annotations.TrackingId];
        if (tracking is null) return;
        var colon = tracking.IndexOf(':', StringComparison.Ordinal);
        var app = colon > 0 ? tracking[..colon] : null;
        var slash = app?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (app is null || slash <= 0) return;
        Track(new Engine.Plan.AppIdentity(app[..slash], app[(slash + 1)..]), tracking, e);
        onManagedObjectChanged(app[..slash], app[(slash + 1)..]);
    }

    private void Track(Engine.Plan.AppIdentity app, string tracking, InformerEvent e)
    {
        var key = Engine.Model.ResourceKey.Of(e.Object);
        var annotations = e.Object["metadata"]?["annotations"];
        var ours = tracking == app.TrackingId(key) && annotations?[Engine.Hooks.Hook.HookAnnotation] is null && annotations?[Engine.Hooks.Hook.HelmHookAnnotation] is null;
        while (true)
        {
            var keys = _tracked.GetOrAdd(app, _ => new ConcurrentDictionary<Engine.Model.ResourceKey, byte>());
            lock (keys)
            {
                // Dropped meanwhile (its last object went): take the one that replaces it.
                if (!_tracked.TryGetValue(app, out var current) || !ReferenceEquals(current, keys)) continue;
                if (ours && e.Type != WatchEventType.Deleted) keys[key] = 0;
                else if (keys.TryRemove(key, out _) && keys.IsEmpty) _tracked.TryRemove(KeyValuePair.Create(app, keys)); // no entry left behind per deleted Application
                return;
            }
        }
    }

    /// <summary>How many Applications have live objects carrying their tracking id (a test hook).</summary>
    internal int TrackingApplications => _tracked.Count;

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _informers.Values.Where(l => l.IsValueCreated)) await lazy.Value.DisposeAsync();
    }
}
