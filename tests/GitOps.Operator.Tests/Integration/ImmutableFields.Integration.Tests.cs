using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// A change to a field that cannot change after creation (a Deployment's selector): the API
/// server's refusal reaches the status with how to get past it; with Force=true on the object the
/// operator deletes it and creates it again.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImmutableFieldsTests(OperatorFixture fx)
{
    private static string Web(string app, bool force) =>
        AppYaml.PauseDeployment("web", app, metadataExtra: force ? "  annotations:\n    gitops.dev/sync-options: Force=true" : "");

    [Fact]
    public async Task SelectorChanged_RefusedWithAHint_ForceRecreatesIt()
    {
        using var s = await Scenario.StartAsync(fx, "immutable");
        var first = await s.PushAsync("web", ("app/web.yaml", Web("web", force: false)));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);
        var path = $"/apis/apps/v1/namespaces/{s.Namespace}/deployments/web";
        var uid = (string?)(await fx.GetAsync(path))?["metadata"]?["uid"];

        await s.PushAsync("new selector", ("app/web.yaml", Web("web-v2", force: false)));
        await s.RefreshAsync();
        var app = await s.WaitAsync(a => (OperatorFixture.ConditionMessage(a, "SyncError") ?? "").Contains("field is immutable", StringComparison.Ordinal), "the refusal in status");
        Assert.Contains("gitops.dev/sync-options: Force=true", OperatorFixture.ConditionMessage(app, "SyncError"));
        Assert.Equal(uid, (string?)(await fx.GetAsync(path))?["metadata"]?["uid"]);

        var forced = await s.PushAsync("force it", ("app/web.yaml", Web("web-v2", force: true)));
        await s.RefreshAsync();
        app = await s.WaitSyncedAsync(forced);
        Assert.False(OperatorFixture.HasCondition(app, "SyncError"));
        var live = await fx.GetAsync(path);
        Assert.NotEqual(uid, (string?)live?["metadata"]?["uid"]);
        Assert.Equal("web-v2", (string?)live?["spec"]?["selector"]?["matchLabels"]?["app"]);
        await Eventually.WaitAsync(async () => ((await fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/events"))?["items"]?.AsArray() ?? [])
            .Any(e => (string?)e?["reason"] == "Recreated" && ((string?)e?["message"] ?? "").Contains("Deployment", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "a Recreated event");
    }
}
