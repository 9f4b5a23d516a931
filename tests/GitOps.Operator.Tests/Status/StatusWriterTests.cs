using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Status;

namespace GitOps.Operator.Tests.Status;

public sealed class StatusWriterTests
{
    private static Application App() => new(new JsonObject
    {
        ["apiVersion"] = "gitops.dev/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "shop", ["resourceVersion"] = "11" },
        ["status"] = new JsonObject { ["health"] = new JsonObject { ["status"] = "Progressing", ["message"] = "rolling out" } },
    }, new ApplicationSpec());

    private static readonly ApplicationStatus Healthy = new() { Health = new HealthSummary("Healthy", "") };

    public static TheoryData<string, int, bool> Answer_TestData() => new()
    {
        // The Application went meanwhile: its deletion is reconciled on its own event.
        { "404 NotFound: nothing to write", 404, false },
        // Often the operator's own previous status write, not yet in the cache: a status-only change
        // queues no reconcile, so a dropped write would leave the status as it was (Progressing).
        { "409 Conflict: thrown, so the reconcile is retried", 409, true },
    };

    [Theory]
    [MemberData(nameof(Answer_TestData))]
    public async Task WriteAsync_ServerRefuses_ThrowsOnlyOnConflict(string caseName, int code, bool throws)
    {
        _ = caseName;
        var api = new RefusingApi(code);

        var write = new StatusWriter(api).WriteAsync(App(), Healthy, CancellationToken.None);

        if (throws)
        {
            var e = await Assert.ThrowsAsync<KubeApiException>(() => write);
            Assert.True(e.IsConflict);
            Assert.StartsWith("shop/web: status not written", e.Message, StringComparison.Ordinal);
        }
        else await write;
        Assert.Equal(["PUT /apis/gitops.dev/v1alpha1/namespaces/shop/applications/web/status"], api.Requests);
    }

    [Fact]
    public async Task WriteAsync_StatusUnchanged_SendsNothing()
    {
        var api = new RefusingApi(409);
        var app = App();
        app.Object["status"] = Healthy.ToJson();

        await new StatusWriter(api).WriteAsync(app, Healthy, CancellationToken.None);

        Assert.Empty(api.Requests);
    }

    /// <summary>Answers every request with one error code, and records them.</summary>
    private sealed class RefusingApi(int code) : IKubeApi
    {
        public List<string> Requests { get; } = [];

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => throw new NotSupportedException(path);

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
            SendAsAsync(null, method, path, body, contentType, ct);

        public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
        {
            Requests.Add($"{method} {path}");
            var reason = code == 409 ? "Conflict" : "NotFound";
            throw new KubeApiException(code, reason, $"Operation cannot be fulfilled on applications.gitops.dev \"web\": {reason}");
        }

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
