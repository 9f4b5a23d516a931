using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// A field the kind does not declare (a typo in Git) fails that object with the API server's own
/// message, the rest of the Application still syncs, and fixing the typo clears the error; the
/// operator never retries it as if the server were down.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FieldTyposTests(OperatorFixture fx)
{
    private static string Deployment(string replicasField) => AppYaml.PauseDeployment("web", "web", specExtra: $"  {replicasField}: 2");

    [Fact]
    public async Task TypoInGit_ThatObjectFailsWithTheServersMessage_TheRestSyncs()
    {
        using var s = await Scenario.StartAsync(fx, "typo");
        await s.PushAsync("typo", ("app/web.yaml", Deployment("replicass")), ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));

        await s.CreateAppAsync();

        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SyncError"), "SyncError for the typo");
        var message = OperatorFixture.ConditionMessage(app, "SyncError")!;
        Assert.Contains("Deployment", message);
        Assert.Contains(".spec.replicass: field not declared in schema", message);
        Assert.Equal("ApplyFailed", (string?)app["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "SyncError")!["reason"]);
        await Eventually.WaitAsync(async () => await s.ConfigMapAsync("settings") is not null, TimeSpan.FromSeconds(30), "the other object applied");
        Assert.Null(await fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/web"));

        var fixedRev = await s.PushAsync("fixed", ("app/web.yaml", Deployment("replicas")));
        await s.RefreshAsync();
        app = await s.WaitSyncedAsync(fixedRev);
        Assert.False(OperatorFixture.HasCondition(app, "SyncError"));
        Assert.Equal(2, (long?)(await fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/web"))?["spec"]?["replicas"]);
    }
}
