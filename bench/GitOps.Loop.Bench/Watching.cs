using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Loop.Bench;

/// <summary>
/// A watch that keeps going: lists to get a resourceVersion (with a selector that can match
/// nothing when only new events matter), then watches from it, resuming from the last version seen
/// when the stream ends. Each event is handed over with the time it arrived.
/// </summary>
internal sealed class Watching : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Watching(KubeApi api, string collectionPath, string? labelSelector, bool initialList, Action<WatchEventType, JsonObject, long> onEvent)
    {
        _loop = RunAsync(api, collectionPath, labelSelector, initialList, onEvent, _stop.Token);
    }

    /// <summary>Starts watching; returns once the watch request is about to be made (events after this point are seen).</summary>
    public static async Task<Watching> StartAsync(KubeApi api, string collectionPath, string? labelSelector, bool initialList, Action<WatchEventType, JsonObject, long> onEvent)
    {
        var w = new Watching(api, collectionPath, labelSelector, initialList, onEvent);
        await w._started.Task;
        return w;
    }

    private async Task RunAsync(KubeApi api, string path, string? selector, bool initialList, Action<WatchEventType, JsonObject, long> onEvent, CancellationToken ct)
    {
        try
        {
            var listSelector = initialList ? selector : "gitops-bench/none=none";
            var list = await api.SendAsync(HttpMethod.Get, path + (listSelector is null ? "" : "?labelSelector=" + Uri.EscapeDataString(listSelector)), null, "application/json", ct);
            var rv = (string?)list["metadata"]?["resourceVersion"] ?? "";
            var now = Stopwatch.GetTimestamp();
            foreach (var item in list["items"] as JsonArray ?? []) if (item is JsonObject o) onEvent(WatchEventType.Added, o, now);
            while (!ct.IsCancellationRequested)
            {
                var query = $"?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(rv)}" + (selector is null ? "" : "&labelSelector=" + Uri.EscapeDataString(selector));
                _started.TrySetResult();
                try
                {
                    await foreach (var e in api.WatchAsync(path + query, ct))
                    {
                        if ((string?)e.Object["metadata"]?["resourceVersion"] is { Length: > 0 } v) rv = v;
                        if (e.Type is WatchEventType.Bookmark) continue;
                        if (e.Type is WatchEventType.Error)
                        {
                            rv = ""; // 410 Gone or another error: start again from now (a list of what exists comes as ADDED events)
                            break;
                        }
                        onEvent(e.Type, e.Object, Stopwatch.GetTimestamp());
                    }
                }
                catch (KubeApiException) when (!ct.IsCancellationRequested)
                {
                    await Task.Delay(200, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _started.TrySetException(e);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; }
        catch (Exception e) when (e is OperationCanceledException or KubeApiException or HttpRequestException or IOException) { }
        _stop.Dispose();
    }
}
