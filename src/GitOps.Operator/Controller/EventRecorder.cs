using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using GitOps.Operator.Cluster;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// Kubernetes Events on Applications (core/v1, as kubectl describe shows them). Repeats of the
/// same event within a minute bump its count instead of creating another. Like client-go's
/// recorder, recording never waits on the API server: an event is queued and sent in the
/// background (one queue per slice of Applications, so an Application's events keep their order),
/// and a reconcile does not pay a round trip for it. Events are best effort: a failure to send is
/// logged, and when a queue is full the event is dropped and counted in the log.
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private const int Senders = 4;
    private const int QueueLength = 1000;
    private readonly IKubeApi _api;
    private readonly ILogger<EventRecorder> _log;
    private readonly TimeProvider _time;
    private readonly string _component;
    private readonly ConcurrentDictionary<string, (string Name, int Count, DateTimeOffset Last)> _recent = new();
    private readonly Channel<PendingEvent>[] _queues;
    private readonly Task[] _senders;
    private long _dropped;
    private int _unsent;

    public EventRecorder(IKubeApi api, ILogger<EventRecorder> log, TimeProvider time, string component = "gitops-operator")
    {
        _api = api;
        _log = log;
        _time = time;
        _component = component;
        _queues = Enumerable.Range(0, Senders)
            .Select(_ => Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))
            .ToArray();
        _senders = _queues.Select(q => Task.Run(() => SendAllAsync(q.Reader))).ToArray();
    }

    /// <summary>Events recorded and not yet sent, or being sent (tests wait for none before they read Events).</summary>
    public int Unsent => Volatile.Read(ref _unsent);

    public Task NormalAsync(JsonObject app, string reason, string message, CancellationToken ct) => Record(app, "Normal", reason, message);

    public Task WarningAsync(JsonObject app, string reason, string message, CancellationToken ct) => Record(app, "Warning", reason, message);

    /// <summary>Sends what is queued (for at most a few seconds), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues) queue.Writer.TryComplete();
        await Task.WhenAny(Task.WhenAll(_senders), Task.Delay(TimeSpan.FromSeconds(5)));
    }

    private Task Record(JsonObject app, string type, string reason, string message)
    {
        var pending = new PendingEvent(
            (string?)app["metadata"]?["namespace"] ?? "default", (string?)app["metadata"]?["name"] ?? "",
            (string?)app["apiVersion"], (string?)app["kind"], (string?)app["metadata"]?["uid"], (string?)app["metadata"]?["resourceVersion"],
            type, reason, message.Length > 1024 ? message[..1024] : message, _time.GetUtcNow());
        var queue = _queues[(int)((uint)StringComparer.Ordinal.GetHashCode($"{pending.Namespace}/{pending.Name}") % Senders)];
        Interlocked.Increment(ref _unsent);
        if (!queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _unsent);
            var dropped = Interlocked.Increment(ref _dropped);
            _log.LogWarning("event queue full: dropped event {Reason} on {Namespace}/{Name} ({Dropped} dropped so far)", reason, pending.Namespace, pending.Name, dropped);
        }
        return Task.CompletedTask;
    }

    private async Task SendAllAsync(ChannelReader<PendingEvent> queue)
    {
        await foreach (var pending in queue.ReadAllAsync())
        {
            try
            {
                await SendAsync(pending);
            }
            catch (Exception e)
            {
                // Whatever went wrong with this one event, the queue keeps draining.
                _log.LogWarning("could not record event {Reason} on {Namespace}/{Name}: {Error}", pending.Reason, pending.Namespace, pending.Name, e.Message);
            }
            finally
            {
                Interlocked.Decrement(ref _unsent);
            }
        }
    }

    private async Task SendAsync(PendingEvent e)
    {
        var stamp = e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var key = $"{e.Namespace}/{e.Name}/{e.Type}/{e.Reason}/{e.Message}";
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (_recent.TryGetValue(key, out var seen) && e.At - seen.Last < TimeSpan.FromMinutes(1))
        {
            var patch = new JsonObject { ["count"] = seen.Count + 1, ["lastTimestamp"] = stamp };
            await _api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{e.Namespace}/events/{seen.Name}", patch.ToJsonString(), "application/merge-patch+json", deadline.Token);
            _recent[key] = (seen.Name, seen.Count + 1, e.At);
            return;
        }
        if (_recent.Count > 10_000)
            foreach (var (k, v) in _recent)
                if (e.At - v.Last >= TimeSpan.FromMinutes(1)) _recent.TryRemove(k, out _);
        var eventName = $"{e.Name}.{e.At.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000):x3}";
        var evt = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = eventName, ["namespace"] = e.Namespace },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = e.ApiVersion, ["kind"] = e.Kind, ["name"] = e.Name, ["namespace"] = e.Namespace,
                ["uid"] = e.Uid, ["resourceVersion"] = e.ResourceVersion,
            },
            ["reason"] = e.Reason,
            ["message"] = e.Message,
            ["type"] = e.Type,
            ["source"] = new JsonObject { ["component"] = _component },
            ["firstTimestamp"] = stamp,
            ["lastTimestamp"] = stamp,
            ["count"] = 1,
            ["reportingComponent"] = _component,
        };
        await _api.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{e.Namespace}/events", evt.ToJsonString(), "application/json", deadline.Token);
        _recent[key] = (eventName, 1, e.At);
    }

    /// <summary>An event as it was when recorded: the Application's identity then, never its object (which a reconcile may change after).</summary>
    private sealed record PendingEvent(string Namespace, string Name, string? ApiVersion, string? Kind, string? Uid, string? ResourceVersion,
        string Type, string Reason, string Message, DateTimeOffset At);
}
