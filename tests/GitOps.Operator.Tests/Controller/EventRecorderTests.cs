using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Controller;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Operator.Tests.Controller;

/// <summary>Recording an Event never waits on the API server; what was recorded is sent after, in order, repeats folded into a count.</summary>
public sealed class EventRecorderTests
{
    private static JsonObject App(string name) => new()
    {
        ["apiVersion"] = "gitops.dev/v1alpha1", ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["namespace"] = "shop", ["name"] = name, ["uid"] = "u-" + name, ["resourceVersion"] = "7" },
    };

    [Fact]
    public async Task Record_ApiServerStalled_ReturnsAtOnceAndSendsOnceItAnswers()
    {
        var api = new GatedApi();
        await using var recorder = new EventRecorder(api, NullLogger<EventRecorder>.Instance, TimeProvider.System);

        var recorded = recorder.NormalAsync(App("web"), "Synced", "synced to abc", default);

        Assert.True(recorded.IsCompletedSuccessfully); // the API server has not answered anything yet
        Assert.Equal(1, recorder.Unsent);
        api.Open();
        await Eventually.WaitAsync(() => Task.FromResult(recorder.Unsent == 0), TimeSpan.FromSeconds(10), "sent");
        var (method, path, body) = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/api/v1/namespaces/shop/events"), (method, path));
        Assert.Equal("u-web", (string?)body!["involvedObject"]!["uid"]);
    }

    [Fact]
    public async Task Record_SameEventTwice_OneCreateThenACountBump()
    {
        var api = new GatedApi();
        api.Open();
        await using var recorder = new EventRecorder(api, NullLogger<EventRecorder>.Instance, TimeProvider.System);

        await recorder.WarningAsync(App("web"), "SyncFailed", "boom", default);
        await recorder.WarningAsync(App("web"), "SyncFailed", "boom", default);
        await recorder.NormalAsync(App("other"), "Synced", "ok", default);
        await Eventually.WaitAsync(() => Task.FromResult(recorder.Unsent == 0), TimeSpan.FromSeconds(10), "sent");

        var web = api.Requests.Where(r => r.Path.Contains("/events", StringComparison.Ordinal) && (r.Method == "PATCH" || (string?)r.Body?["involvedObject"]?["name"] == "web")).ToList();
        Assert.Equal(["POST", "PATCH"], web.Select(r => r.Method));
        Assert.Equal(2, (int?)web[1].Body!["count"]);
        Assert.Equal(3, api.Requests.Count);
    }

    /// <summary>An API that holds every request until opened, and records them in the order they were sent.</summary>
    private sealed class GatedApi : IKubeApi
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(string Method, string Path, JsonObject? Body)> Requests { get; } = new();

        public void Open() => _open.TrySetResult();

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => throw new NotSupportedException(path);

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
            SendAsAsync(null, method, path, body, contentType, ct);

        public async Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
        {
            await _open.Task.WaitAsync(ct);
            Requests.Enqueue((method.Method, path, body is null ? null : JsonNode.Parse(body) as JsonObject));
            return new JsonObject();
        }

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
