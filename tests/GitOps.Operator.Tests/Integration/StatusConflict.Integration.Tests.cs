using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// The operator's Application cache one version behind its own status write, as under CPU load: the
/// next reconcile (a Deployment that became ready) writes its status onto the older version and the
/// API server answers 409 Conflict. That write used to be dropped, and the newer version's watch event
/// (a status-only change) queues no reconcile: the Application stayed Progressing until its interval.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StatusConflictTests
{
    [Fact]
    public async Task HealthyStatusWrite_RefusedWhileTheCacheLags_WrittenOnceItCatchesUp()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        WebApplication? op = null;
        try
        {
            using var s = await Scenario.StartAsync(fx, "lag");
            var api = new LaggingApplicationWatch(fx.Api);
            (op, _) = await fx.StartOperatorAsync(OperatorOptions.Default with { LeaderElection = false }, services => services.AddSingleton<IKubeApi>(api));
            var commit = await s.PushAsync("first", ("app/deploy.yaml", AppYaml.Deployment("web", "nginx:1.25")));

            await s.CreateAppAsync();

            // Held back until then: the operator's own status writes never reach its cache, so every write after the first is refused.
            await Eventually.WaitAsync(() => Task.FromResult(api.HealthyWriteRefused), TimeSpan.FromSeconds(30),
                "the operator wrote Healthy onto an older version of the Application and was refused (409)");
            await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, commit) && (string?)a["status"]?["health"]?["status"] == "Healthy",
                "Healthy once the cache caught up (the refused write is retried, not dropped)", TimeSpan.FromSeconds(20));
        }
        finally
        {
            if (op is not null)
            {
                await op.StopAsync();
                await op.DisposeAsync();
            }
            await fx.DisposeAsync();
        }
    }

    /// <summary>
    /// Holds back every MODIFIED event of the Applications watch until the operator has tried to write
    /// a Healthy status and was refused with 409 Conflict; then lets them through, in order.
    /// </summary>
    private sealed class LaggingApplicationWatch(IKubeApi inner) : IKubeApi
    {
        private readonly TaskCompletionSource _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HealthyWriteRefused => _refused.Task.IsCompleted;

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => inner.GetAsync(path, ct);

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
            SendAsAsync(null, method, path, body, contentType, ct);

        public async Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
        {
            try
            {
                return await inner.SendAsAsync(impersonateUser, method, path, body, contentType, ct);
            }
            catch (KubeApiException e) when (e.IsConflict && method == HttpMethod.Put && IsApplications(path) && path.EndsWith("/status", StringComparison.Ordinal)
                && (string?)JsonNode.Parse(body!)?["status"]?["health"]?["status"] == "Healthy")
            {
                _refused.TrySetResult();
                throw;
            }
        }

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var e in inner.WatchAsync(path, ct))
            {
                if (e.Type == WatchEventType.Modified && IsApplications(path)) await _refused.Task.WaitAsync(ct);
                yield return e;
            }
        }

        private static bool IsApplications(string path) =>
            path.StartsWith("/apis/gitops.dev/v1alpha1/", StringComparison.Ordinal) && path.Split('?')[0].Split('/').Contains("applications");
    }
}
