using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Notifications;

/// <summary>A Notification object with its spec parsed, or why its spec cannot be read.</summary>
public sealed record NotificationObject(string Namespace, string Name, long Generation, JsonObject Object, NotificationSpec? Spec, string? SpecError)
{
    public string Key => $"{Namespace}/{Name}";

    public static NotificationObject Of(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (ns, name) = ((string?)obj["metadata"]?["namespace"] ?? "", (string?)obj["metadata"]?["name"] ?? "");
        var generation = (long?)obj["metadata"]?["generation"] ?? 0;
        try
        {
            return new(ns, name, generation, obj, NotificationSpec.Parse(obj), null);
        }
        catch (FormatException e)
        {
            return new(ns, name, generation, obj, null, e.Message);
        }
    }
}

/// <summary>
/// The Notifications (gitops.dev/v1alpha1, namespaced) from one informer, started with the operator.
/// While the CRD is not installed the informer stops, and it is looked for again at most every
/// <see cref="NotificationOptions.CrdRecheck"/> (only when there is something to send, so an operator
/// without Notifications makes no requests for them).
/// </summary>
public sealed class NotificationStore(IKubeApi api, string? watchNamespace, NotificationOptions options, TimeProvider time, Action<NotificationObject> onSpecChanged) : IAsyncDisposable
{
    public static ResourceInfo NotificationsResource { get; } = new("gitops.dev", "v1alpha1", "Notification", "notifications", true);

    private readonly Lock _lock = new();
    private ResourceInformer? _informer;
    private DateTimeOffset _startedAt;

    /// <summary>The valid or invalid Notifications of the Application's namespace whose selector takes it; empty while the CRD is not installed.</summary>
    public async Task<IReadOnlyList<NotificationObject>> MatchingAsync(string appNamespace, string appName, IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        var informer = Informer();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.StoreSyncTimeout);
        try
        {
            await informer.WaitForSyncAsync(deadline.Token);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return [];
        }
        return [.. informer.List().Select(NotificationObject.Of)
            .Where(n => n.Namespace == appNamespace && (n.Spec is null || n.Spec.Selector.Matches(appName, labels)))];
    }

    /// <summary>Every Notification the watch holds now (none before it has listed).</summary>
    public IReadOnlyList<NotificationObject> Known()
    {
        ResourceInformer? informer;
        lock (_lock) informer = _informer;
        return informer is null ? [] : [.. informer.List().Select(NotificationObject.Of)];
    }

    /// <summary>Starts watching now, so each Notification's status says at once whether it was accepted.</summary>
    public void Start() => Informer();

    private ResourceInformer Informer()
    {
        lock (_lock)
        {
            if (_informer is { IsGone: false } running) return running;
            if (_informer is not null && time.GetUtcNow() - _startedAt < options.CrdRecheck) return _informer;
            var old = _informer;
            _informer = new ResourceInformer(api, NotificationsResource, watchNamespace, null, InformerOptions.Default, e =>
            {
                if (e.Type is WatchEventType.Added or WatchEventType.Modified) onSpecChanged(NotificationObject.Of(e.Object));
            }, withPrevious: false, stopWhenNotServed: true);
            _startedAt = time.GetUtcNow();
            _informer.Start();
            _ = old?.DisposeAsync().AsTask();
            return _informer;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ResourceInformer? informer;
        lock (_lock) informer = _informer;
        if (informer is not null) await informer.DisposeAsync();
    }
}
