using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Cluster;

/// <summary>A change the informer saw; <see cref="Previous"/> is the cached version it replaced (Modified only, when the informer keeps them).</summary>
public sealed record InformerEvent(WatchEventType Type, JsonObject Object, JsonObject? Previous = null);

/// <summary>Timings of informers; every interval lives here.</summary>
public sealed record InformerOptions(TimeSpan WatchTimeout, TimeSpan MinBackoff, TimeSpan MaxBackoff, int PageSize)
{
    public static InformerOptions Default { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), 500);
}

/// <summary>
/// A list+watch cache of one resource (optionally one namespace and a label selector), as
/// client-go's reflector and informer: it lists, then watches from the list's resourceVersion,
/// resumes from the last version it saw, relists on 410 Gone, and backs off while the API server
/// is unreachable. Reads hand out deep copies.
/// </summary>
public sealed class ResourceInformer : IAsyncDisposable
{
    private readonly IKubeApi _api;
    private readonly string? _namespace;
    private readonly bool _withPrevious;
    private readonly bool _stopWhenNotServed;
    private readonly string? _labelSelector;
    private readonly InformerOptions _options;
    private readonly Action<InformerEvent> _onEvent;
    private readonly ConcurrentDictionary<(string Ns, string Name), Cached> _items = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<KubeApiException> _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public ResourceInformer(IKubeApi api, ResourceInfo resource, string? ns, string? labelSelector, InformerOptions options, Action<InformerEvent> onEvent)
        : this(api, resource, ns, labelSelector, options, onEvent, withPrevious: false, stopWhenNotServed: false)
    {
    }

    /// <param name="withPrevious">Hand each Modified event the version it replaced (a parse per event: only for small, few objects).</param>
    /// <param name="stopWhenNotServed">Stop for good on a 404 (the kind is not served any more) instead of retrying until it is again.</param>
    public ResourceInformer(IKubeApi api, ResourceInfo resource, string? ns, string? labelSelector, InformerOptions options, Action<InformerEvent> onEvent,
        bool withPrevious, bool stopWhenNotServed)
    {
        _withPrevious = withPrevious;
        _stopWhenNotServed = stopWhenNotServed;
        _api = api;
        Resource = resource;
        _namespace = ns;
        _labelSelector = labelSelector;
        _options = options;
        _onEvent = onEvent;
    }

    public ResourceInfo Resource { get; }
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>True while the last list or watch attempt failed (for /readyz).</summary>
    public bool IsFailing { get; private set; }

    /// <summary>The API no longer serves the resource (404: its CRD was deleted); the informer has stopped.</summary>
    public bool IsGone { get; private set; }
    public string? LastError { get; private set; }
    public long Relists { get; private set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>
    /// Waits until the first list is done. When the server refuses that list for good (403, 404:
    /// nothing a retry fixes soon) it throws instead of waiting forever, so the caller can say why;
    /// the informer keeps retrying with backoff, and once a list succeeds this returns at once.
    /// </summary>
    public async Task WaitForSyncAsync(CancellationToken ct)
    {
        if (_synced.Task.IsCompleted) return; // every read of a managed object asks: no tasks made once synced
        await Task.WhenAny(_synced.Task, _refused.Task).WaitAsync(ct);
        if (_synced.Task.IsCompleted) return;
        var e = await _refused.Task;
        var where = _namespace is null ? "in all namespaces" : $"in namespace {_namespace}";
        throw new KubeApiException(e.Code, e.Reason, $"cannot list {Resource.Plural}{(Resource.Group.Length > 0 ? "." + Resource.Group : "")} {where}: {e.Message}", e.Status);
    }

    /// <summary>
    /// Takes in an object this process just wrote (the API server's answer), when the cache still holds the
    /// version the write was based on: the write succeeded on that version, so the answer is the newer one
    /// (no resourceVersion is compared, they are opaque). Handlers see it as a Modified event now; the watch
    /// event of the same write, when it comes, then changes nothing. Returns whether it was taken in.
    /// </summary>
    public bool ObserveWrite(JsonObject written, string basedOnResourceVersion)
    {
        ArgumentNullException.ThrowIfNull(written);
        var key = Key(written);
        if (!_items.TryGetValue(key, out var cached) || cached.ResourceVersion != basedOnResourceVersion) return false;
        written["apiVersion"] ??= Resource.ApiVersion;
        written["kind"] ??= Resource.Kind;
        if (!_items.TryUpdate(key, Cached.Of(written), cached)) return false;
        _onEvent(new InformerEvent(WatchEventType.Modified, written, _withPrevious ? cached.Read() : null));
        return true;
    }

    public JsonObject? Get(string? ns, string name) =>
        _items.TryGetValue((ns ?? "", name), out var o) ? o.Read() : null;

    /// <summary>The cached object's resourceVersion without copying it.</summary>
    public string? ResourceVersionOf(string? ns, string name) =>
        _items.TryGetValue((ns ?? "", name), out var o) ? o.ResourceVersion : null;

    public IReadOnlyList<JsonObject> List() => [.. _items.Values.Select(o => o.Read())];

    public int Count => _items.Count;

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = _options.MinBackoff;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var rv = await ListAsync(ct);
                IsFailing = false;
                backoff = _options.MinBackoff;
                await WatchFromAsync(rv, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                // The version we watched from was compacted: list again.
            }
            catch (KubeApiException e) when (e.IsNotFound && _stopWhenNotServed)
            {
                // Not served any more: nothing of this kind exists, and retrying would only keep /readyz failing.
                IsGone = true;
                IsFailing = false;
                LastError = e.Message;
                _items.Clear();
                _refused.TrySetResult(e);
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                IsFailing = true;
                LastError = e.Message;
                if (e is KubeApiException { IsTransient: false } refused) _refused.TrySetResult(refused);
                try { await Task.Delay(Jitter(backoff), ct); }
                catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken ct)
    {
        Relists++;
        var fresh = new Dictionary<(string, string), JsonObject>();
        string? token = null;
        string rv;
        do
        {
            var query = Query(("limit", _options.PageSize.ToString(CultureInfo.InvariantCulture)), ("continue", token));
            var page = await _api.SendAsync(HttpMethod.Get, Resource.CollectionPath(_namespace) + query, null, "application/json", ct);
            foreach (var item in page["items"] as JsonArray ?? [])
            {
                if (item is not JsonObject o) continue;
                o["apiVersion"] ??= Resource.ApiVersion;
                o["kind"] ??= Resource.Kind;
                fresh[Key(o)] = o.DeepClone().AsObject();
            }
            rv = (string?)page["metadata"]?["resourceVersion"] ?? "";
            token = (string?)page["metadata"]?["continue"];
        }
        while (!string.IsNullOrEmpty(token));

        foreach (var (key, old) in _items)
            if (!fresh.ContainsKey(key) && _items.TryRemove(key, out _)) _onEvent(new InformerEvent(WatchEventType.Deleted, old.Read()));
        foreach (var (key, obj) in fresh)
        {
            var had = _items.TryGetValue(key, out var old);
            _items[key] = Cached.Of(obj);
            if (!had) _onEvent(new InformerEvent(WatchEventType.Added, obj));
            else if (old!.ResourceVersion != (string?)obj["metadata"]?["resourceVersion"])
                _onEvent(new InformerEvent(WatchEventType.Modified, obj, _withPrevious ? old.Read() : null));
        }
        _synced.TrySetResult();
        return rv;
    }

    private async Task WatchFromAsync(string rv, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var timeout = (long)(_options.WatchTimeout.TotalSeconds * (0.9 + Random.Shared.NextDouble() * 0.2));
            var path = Resource.CollectionPath(_namespace) + Query(
                ("watch", "1"), ("resourceVersion", rv), ("allowWatchBookmarks", "true"),
                ("timeoutSeconds", timeout.ToString(CultureInfo.InvariantCulture)));
            await foreach (var e in _api.WatchAsync(path, ct))
            {
                if (e.Type == WatchEventType.Error)
                {
                    var code = (int?)e.Object["code"] ?? 0;
                    throw new KubeApiException(code, (string?)e.Object["reason"] ?? "", (string?)e.Object["message"] ?? "watch error");
                }
                rv = (string?)e.Object["metadata"]?["resourceVersion"] ?? rv;
                if (e.Type == WatchEventType.Bookmark) continue;
                e.Object["apiVersion"] ??= Resource.ApiVersion;
                e.Object["kind"] ??= Resource.Kind;
                var key = Key(e.Object);
                // The version this process already took in from its own write's answer (ObserveWrite): nothing changed.
                if (e.Type == WatchEventType.Modified && _items.TryGetValue(key, out var known) && known.ResourceVersion == rv) continue;
                var previous = _withPrevious && e.Type == WatchEventType.Modified && _items.TryGetValue(key, out var old) ? old.Read() : null;
                if (e.Type == WatchEventType.Deleted) _items.TryRemove(key, out _);
                else _items[key] = Cached.Of(e.Object);
                _onEvent(new InformerEvent(e.Type, e.Object, previous));
            }
            IsFailing = false;
        }
    }

    private string Query(params (string Name, string? Value)[] parameters)
    {
        var all = parameters.ToList();
        if (!string.IsNullOrEmpty(_labelSelector)) all.Add(("labelSelector", _labelSelector));
        var parts = all.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}");
        return "?" + string.Join('&', parts);
    }

    /// <summary>
    /// A cached object kept as its UTF-8 JSON: a fraction of the size of a JsonNode tree (the
    /// benchmark's 1,000 apps x 10 objects held most of the operator's heap as trees), and every
    /// read hands out a private copy anyway, now parsed from the bytes instead of deep-cloned.
    /// </summary>
    private sealed record Cached(byte[] Json, string? ResourceVersion)
    {
        public static Cached Of(JsonObject o) => new(Caching.Utf8Json.ToBytes(o), (string?)o["metadata"]?["resourceVersion"]);

        public JsonObject Read() => JsonNode.Parse(Json)!.AsObject();
    }

    private static (string, string) Key(JsonObject o) =>
        ((string?)o["metadata"]?["namespace"] ?? "", (string?)o["metadata"]?["name"] ?? "");

    private static TimeSpan Jitter(TimeSpan t) => TimeSpan.FromTicks((long)(t.Ticks * (0.8 + Random.Shared.NextDouble() * 0.4)));

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        try { await _loop; }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
