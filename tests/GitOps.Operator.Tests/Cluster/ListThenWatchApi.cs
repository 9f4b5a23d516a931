using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Tests.Cluster;

/// <summary>Lists the given objects at resourceVersion 10, then streams the watch events a test sends.</summary>
internal sealed class ListThenWatchApi(params JsonObject[] initial) : IKubeApi
{
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();

    public ValueTask SendEventAsync(WatchEventType type, JsonObject obj) => _events.Writer.WriteAsync(new WatchEvent(type, obj));

    public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => Task.FromResult<JsonObject?>(null);

    public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        Task.FromResult(new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "10" }, ["items"] = new JsonArray([.. initial.Select(o => o.DeepClone())]) });

    public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        SendAsync(method, path, body, contentType, ct);

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(ct)) yield return e;
    }
}
