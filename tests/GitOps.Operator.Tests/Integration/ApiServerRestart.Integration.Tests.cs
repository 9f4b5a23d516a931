using System.Diagnostics;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// The API server restarted with its state (sandbox only: it stops and starts its listener on the
/// same port over the same store, as a kube-apiserver over the same etcd) in the middle of a 100-app sync.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ApiServerRestartTests(OperatorFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task Restart_DuringHundredAppSync_ConvergesNothingLostNothingDeleted()
    {
        if (fx.Sandbox is null) return;
        var clock = Stopwatch.StartNew();
        using var s = await Scenario.StartAsync(fx, "restart");
        const int apps = 100;
        var revision = await ManyApps.PushAsync(s, apps);
        var deletesBefore = fx.Sandbox.Requests.Count("delete", "configmaps");

        await ManyApps.ApplyAsync(s, apps);
        await Eventually.WaitAsync(async () => await ManyApps.SyncedAsync(s, revision) >= 1, TimeSpan.FromSeconds(60), "the sync under way");
        var syncedAtRestart = await ManyApps.SyncedAsync(s, revision);
        var revisionBefore = fx.Sandbox.Store.Revision;
        var listsBefore = fx.Sandbox.Requests.Count("list");
        await fx.Sandbox.RestartAsync(TimeSpan.FromSeconds(2));

        await Eventually.WaitAsync(async () => await ManyApps.SyncedAsync(s, revision) == apps, TimeSpan.FromSeconds(120), "all hundred apps synced after the restart");
        await ManyApps.AssertAllAsInGitAsync(s, apps);
        Assert.Equal(deletesBefore, fx.Sandbox.Requests.Count("delete", "configmaps"));
        Assert.True(fx.Sandbox.Requests.Count("list") > listsBefore, "nobody relisted after the restart");

        // A drift after the restart is still seen: the operator's watches were re-established.
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "cm-0", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");
        await Eventually.WaitAsync(async () => (string?)(await s.ConfigMapAsync("cm-0"))?["data"]?["value"] == "v0",
            TimeSpan.FromSeconds(30), "a drift after the restart healed");
        // On a fast machine all hundred may be synced before the restart; the edit and its heal are
        // writes after it either way, and the store they went to kept counting from where it was.
        Assert.True(fx.Sandbox.Store.Revision > revisionBefore, "resourceVersions did not keep rising");
        output.WriteLine($"{syncedAtRestart}/{apps} synced when the API server went down for 2 s; all converged in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
