using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GitChangesTests(OperatorFixture fx)
{
    [Fact]
    public async Task Push_ChangedFile_AppliedAtNewRevision()
    {
        using var s = await Scenario.StartAsync(fx, "upd");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);

        var second = await s.PushAsync("second", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")));
        await s.RefreshAsync();
        var app = await s.WaitSyncedAsync(second);
        Assert.Equal("v2", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
        Assert.Equal(2, app["status"]!["history"]!.AsArray().Count);
    }

    [Fact]
    public async Task SpecChange_SameCommit_DesiredStateBuiltAgain()
    {
        using var s = await Scenario.StartAsync(fx, "samecommit");
        var rev = await s.PushAsync("two files", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/b.yaml", AppYaml.ConfigMap("b", "1")));
        await s.CreateAppAsync(extraSpec: "    directory: { include: a.yaml }");
        await s.WaitSyncedAsync(rev);
        Assert.Null(await s.ConfigMapAsync("b"));

        // Only the Application changes: the commit, and so the cached desired state of that commit, stay the same.
        await s.CreateAppAsync(extraSpec: "    directory: { include: \"*.yaml\" }");
        await Eventually.WaitAsync(async () => await s.ConfigMapAsync("b") is not null, TimeSpan.FromSeconds(30), "b applied once the include widens");

        await s.CreateAppAsync(extraSpec: "    directory: { include: a.yaml }");
        await Eventually.WaitAsync(async () => await s.ConfigMapAsync("b") is null, TimeSpan.FromSeconds(30), "b pruned once the include narrows again");
        Assert.NotNull(await s.ConfigMapAsync("a"));
    }

    [Fact]
    public async Task Push_FileRemoved_ObjectPruned()
    {
        using var s = await Scenario.StartAsync(fx, "prune");
        var first = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/b.yaml", AppYaml.ConfigMap("b", "1")), ("app/c.yaml", AppYaml.ConfigMap("c", "1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);
        Assert.NotNull(await s.ConfigMapAsync("b"));

        var second = await s.PushAsync("remove b", ("app/b.yaml", null));
        await s.RefreshAsync();
        var app = await s.WaitSyncedAsync(second);
        Assert.Null(await s.ConfigMapAsync("b"));
        Assert.NotNull(await s.ConfigMapAsync("a"));
        Assert.DoesNotContain(app["status"]!["inventory"]!.AsArray(), e => ((string?)e)!.EndsWith("/b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_FileRemovedWithPruneFalse_ObjectKept()
    {
        using var s = await Scenario.StartAsync(fx, "keep");
        var keep = AppYaml.ConfigMap("kept", "1", "  annotations:\n    gitops.dev/prune: \"false\"");
        var first = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/b.yaml", AppYaml.ConfigMap("b", "1")), ("app/kept.yaml", keep));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);

        var second = await s.PushAsync("remove kept", ("app/kept.yaml", null));
        await s.RefreshAsync();
        await s.WaitSyncedAsync(second);
        Assert.NotNull(await s.ConfigMapAsync("kept"));
    }

    [Fact]
    public async Task Push_WithoutAutomatedPrune_ObjectKeptAndReportedOutOfSync()
    {
        using var s = await Scenario.StartAsync(fx, "noprune");
        var first = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/b.yaml", AppYaml.ConfigMap("b", "1")), ("app/c.yaml", AppYaml.ConfigMap("c", "1")));
        await s.CreateAppAsync(prune: false);
        await s.WaitSyncedAsync(first);

        var second = await s.PushAsync("remove b", ("app/b.yaml", null));
        await s.RefreshAsync();
        await s.WaitAsync(a => (string?)a["status"]?["sync"]?["revision"] == second && (string?)a["status"]?["sync"]?["status"] == "OutOfSync", "out of sync, b not pruned");
        Assert.NotNull(await s.ConfigMapAsync("b"));

        await s.SyncNowAsync();
        await s.WaitSyncedAsync(second);
        Assert.Null(await s.ConfigMapAsync("b"));
    }
}
