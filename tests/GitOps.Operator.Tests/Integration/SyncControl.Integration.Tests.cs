using System.Text.Json.Nodes;

namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SyncControlTests(OperatorFixture fx)
{
    [Fact]
    public async Task Suspend_PushIgnoredUntilResumed()
    {
        using var s = await Scenario.StartAsync(fx, "suspend");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);

        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "applications.gitops.dev/app", "--type=merge", "-p", "{\"spec\":{\"suspend\":true}}");
        await s.WaitAsync(a => (string?)a["status"]?["health"]?["status"] == "Suspended", "suspended");
        var second = await s.PushAsync("second", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")));
        await s.RefreshAsync();
        await s.WaitAsync(a => (long?)a["status"]?["observedGeneration"] == (long?)a["metadata"]?["generation"], "status observed");
        Assert.Equal("v1", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);

        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "applications.gitops.dev/app", "--type=merge", "-p", "{\"spec\":{\"suspend\":false}}");
        await s.WaitSyncedAsync(second);
        Assert.Equal("v2", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
    }

    [Fact]
    public async Task ManualSyncOnly_AppliedOnlyWhenRequested()
    {
        using var s = await Scenario.StartAsync(fx, "manual");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync(automated: false);
        var app = await s.WaitAsync(a => (string?)a["status"]?["sync"]?["status"] == "OutOfSync", "out of sync, nothing applied");
        Assert.Null(await s.ConfigMapAsync("settings"));
        Assert.Equal("Missing", (string?)app["status"]?["health"]?["status"]);

        await s.SyncNowAsync();
        await s.WaitSyncedAsync(first);
        Assert.Equal("v1", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
    }

    [Fact]
    public async Task RollbackAnnotation_HistoryEntry_RevisionReapplied()
    {
        using var s = await Scenario.StartAsync(fx, "rollback");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);
        var second = await s.PushAsync("second", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")));
        await s.RefreshAsync();
        var app = await s.WaitSyncedAsync(second);
        var firstId = (long)app["status"]!["history"]!.AsArray().First(h => (string?)h?["revision"] == first)!["id"]!;

        await fx.KubectlOkAsync("annotate", "-n", s.Namespace, "applications.gitops.dev/app", $"gitops.dev/rollback-to={firstId}");
        await s.WaitSyncedAsync(first);
        Assert.Equal("v1", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
    }
}
