using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// The operator's Application cache a version behind, as under CPU load: a reconcile (a Deployment that
/// became ready, an object edited) writes its status onto the older version and the API server answers
/// 409 Conflict. That write used to be dropped, and the newer version's watch event (a status-only
/// change) queues no reconcile: the status stayed as it was until the interval. (The operator's own
/// status writes now reach its cache at once; here another writer's status change is what it lags behind.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class StatusConflictTests
{
    [Fact]
    public async Task StatusWrite_RefusedWhileTheCacheLags_WrittenOnceItCatchesUp()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        WebApplication? op = null;
        try
        {
            using var s = await Scenario.StartAsync(fx, "lag");
            var api = new LaggingApplicationWatch(fx.Api);
            (op, _) = await fx.StartOperatorAsync(OperatorOptions.Default with { LeaderElection = false }, services => services.AddSingleton<IKubeApi>(api));
            var first = await s.PushAsync("first", ("app/settings.yaml", AppYaml.ConfigMap("settings", "v1")));
            await s.CreateAppAsync(selfHeal: false, interval: "1h");
            await s.WaitSyncedAsync(first);

            // Another writer changes the status alone (a status-only change queues no reconcile), and the operator's
            // cache does not see it yet: every MODIFIED event of Applications is held back from now on.
            api.HoldModified();
            await fx.Api.SendAsync(HttpMethod.Patch, $"/apis/gitops.dev/v1alpha1/namespaces/{s.Namespace}/applications/{s.App}/status",
                "{\"status\":{\"health\":{\"message\":\"written by another writer\"}}}", "application/merge-patch+json", default);
            // A live object is edited (self-heal off): its one watch event causes one reconcile, with a new status
            // (Drifted) to write onto the older version. Nothing else would reconcile the Application for an hour.
            await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");

            await Eventually.WaitAsync(() => Task.FromResult(api.StatusWriteRefused), TimeSpan.FromSeconds(30),
                "the operator's status write was refused (409): its cache lags");
            await s.WaitAsync(a => (string?)a["status"]?["sync"]?["status"] == "OutOfSync" && OperatorFixture.HasCondition(a, "Drifted"),
                "the refused write retried once the cache caught up, not dropped (the interval is an hour)", TimeSpan.FromSeconds(20));
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
    /// Once told to, holds back every MODIFIED event of the Applications watch until a status write of the
    /// operator was refused with 409 Conflict; then lets them through, in order.
    /// </summary>
    private sealed class LaggingApplicationWatch(IKubeApi inner) : IKubeApi
    {
        private readonly TaskCompletionSource _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _holding;

        public void HoldModified() => _holding = true;

        public bool StatusWriteRefused => _refused.Task.IsCompleted;

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => inner.GetAsync(path, ct);

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
            SendAsAsync(null, method, path, body, contentType, ct);

        public async Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
        {
            try
            {
                return await inner.SendAsAsync(impersonateUser, method, path, body, contentType, ct);
            }
            catch (KubeApiException e) when (e.IsConflict && method == HttpMethod.Put && IsApplications(path) && path.EndsWith("/status", StringComparison.Ordinal))
            {
                _refused.TrySetResult();
                throw;
            }
        }

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var e in inner.WatchAsync(path, ct))
            {
                if (_holding && e.Type == WatchEventType.Modified && IsApplications(path)) await _refused.Task.WaitAsync(ct);
                yield return e;
            }
        }

        private static bool IsApplications(string path) =>
            path.StartsWith("/apis/gitops.dev/v1alpha1/", StringComparison.Ordinal) && path.Split('?')[0].Split('/').Contains("applications");
    }
}
