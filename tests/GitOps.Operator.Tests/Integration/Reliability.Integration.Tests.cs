using GitOps.Sandbox.Diagnostics;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>The operator against an API server that drops watches, compacts history and fails (sandbox only: fault injection).</summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReliabilityTests(OperatorFixture fx)
{
    private static Task<bool> ValueIsAsync(Scenario s, string value) =>
        s.ConfigMapAsync("settings").ContinueWith(t => (string?)t.Result?["data"]?["value"] == value);

    private async Task<Scenario> SyncedAsync(string prefix)
    {
        var s = await Scenario.StartAsync(fx, prefix);
        var rev = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "git")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(rev);
        return s;
    }

    [Fact]
    public async Task WatchesClosed_ThenDrift_StillHealed()
    {
        if (fx.Sandbox is null) return;
        using var s = await SyncedAsync("closed");
        fx.Sandbox.CloseWatches();
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");
        await Eventually.WaitAsync(() => ValueIsAsync(s, "git"), TimeSpan.FromSeconds(15), "healed after the watches were closed");
    }

    [Fact]
    public async Task HistoryCompacted_WatchResumeGone_RelistsAndHeals()
    {
        if (fx.Sandbox is null) return;
        using var s = await SyncedAsync("gone");
        fx.Sandbox.CompactHistory();
        fx.Sandbox.CloseWatches();
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");
        await Eventually.WaitAsync(() => ValueIsAsync(s, "git"), TimeSpan.FromSeconds(15), "healed after a 410 relist");
    }

    /// <summary>
    /// A 100-app sync while the API server answers a share of the writes of managed objects with 500
    /// and 429: every app converges, every object is there with Git's data, and nothing is deleted.
    /// </summary>
    [Fact]
    public async Task Faults_HundredAppSyncWithApi500sAnd429s_ConvergesNothingLostNothingDeleted()
    {
        if (fx.Sandbox is null) return;
        using var s = await Scenario.StartAsync(fx, "faults");
        const int apps = 100;
        var revision = await ManyApps.PushAsync(s, apps, "a hundred apps");
        var deletesBefore = fx.Sandbox.Requests.Count("delete", "configmaps");
        try
        {
            fx.Sandbox.Faults.Add(new FaultRule(FaultKind.InternalError, 0.15, Verb: "apply", Resource: "configmaps"));
            fx.Sandbox.Faults.Add(new FaultRule(FaultKind.TooManyRequests, 0.10, Verb: "apply", Resource: "configmaps"));
            await ManyApps.ApplyAsync(s, apps);
            await Eventually.WaitAsync(async () => await ManyApps.SyncedAsync(s, revision) == apps, TimeSpan.FromSeconds(180), "all hundred apps synced despite the faults");
            Assert.True(fx.Sandbox.Requests.Count("apply", "configmaps", 500) > 0, "the faults were never hit");
        }
        finally
        {
            fx.Sandbox.Faults.Clear();
        }

        await ManyApps.AssertAllAsInGitAsync(s, apps);
        Assert.Equal(deletesBefore, fx.Sandbox.Requests.Count("delete", "configmaps"));
    }

    [Fact]
    public async Task ApiFailing_ReadyzReportsIt_RecoversWhenBack()
    {
        if (fx.Sandbox is null) return;
        using var s = await SyncedAsync("down");
        using var http = new HttpClient();
        try
        {
            fx.Sandbox.Faults.Add(new FaultRule(FaultKind.InternalError, 1.0, Verb: "watch"));
            fx.Sandbox.Faults.Add(new FaultRule(FaultKind.InternalError, 1.0, Verb: "list"));
            fx.Sandbox.CloseWatches();
            await Eventually.WaitAsync(async () => (await http.GetAsync(new Uri(fx.OperatorAddress, "/readyz"))).StatusCode == System.Net.HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(15), "readyz says the API is failing");
            var attempts = fx.Sandbox.Requests.Count("list") + fx.Sandbox.Requests.Count("watch");
            await Task.Delay(TimeSpan.FromSeconds(1)); // a window to count retries in, not a wait for a condition
            var perSecond = fx.Sandbox.Requests.Count("list") + fx.Sandbox.Requests.Count("watch") - attempts;
            Assert.True(perSecond < 40, $"{perSecond} list/watch attempts in one second: no backoff");
        }
        finally
        {
            fx.Sandbox.Faults.Clear();
        }
        // An informer that failed long enough waits up to its maximum backoff (30 s, +20 % jitter) before it lists again.
        await Eventually.WaitAsync(async () => (await http.GetAsync(new Uri(fx.OperatorAddress, "/readyz"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(90), "ready again");
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");
        await Eventually.WaitAsync(() => ValueIsAsync(s, "git"), TimeSpan.FromSeconds(15), "healed after the API came back");
    }
}
