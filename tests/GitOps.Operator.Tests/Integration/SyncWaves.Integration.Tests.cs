using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Sync waves wait for the waves before them to be healthy (Argo CD's semantics): a Deployment in
/// wave 0 that cannot roll out holds back wave 1 and the PostSync phase, the Application says what
/// it waits for, and once a fix lands the rest follows; a manual sync carries on across reconciles.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SyncWavesTests(OperatorFixture fx)
{
    /// <summary>
    /// A Deployment in wave 0 that cannot become healthy when <paramref name="broken"/>: the sandbox
    /// fails it by annotation, a real cluster cannot pull its image.
    /// </summary>
    private static string Db(bool broken) => AppYaml.PauseDeployment("db", "db",
        metadataExtra: "  annotations:\n    gitops.dev/sync-wave: \"0\"" + (broken ? "\n    sandbox.gitops.dev/fail: ImagePullBackOff" : ""),
        specExtra: "  replicas: 1\n  progressDeadlineSeconds: 600",
        image: broken ? "registry.invalid/db:missing" : "registry.k8s.io/pause:3.10");

    private static (string, string?)[] Files(bool broken) =>
    [
        ("app/db.yaml", Db(broken)),
        ("app/web.yaml", AppYaml.ConfigMap("web", "v1", "  annotations:\n    gitops.dev/sync-wave: \"1\"")),
        ("app/notify.yaml", AppYaml.ConfigMap("notify", "v1", "  annotations:\n    gitops.dev/sync-phase: PostSync")),
    ];

    [Fact]
    public async Task UnhealthyWave_LaterWavesWait_FixLetsThemThrough()
    {
        using var s = await Scenario.StartAsync(fx, "waves");
        var broken = await s.PushAsync("db cannot start", Files(broken: true));

        await s.CreateAppAsync();

        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "Reconciling") &&
            (OperatorFixture.ConditionMessage(a, "Reconciling") ?? "").Contains("Deployment", StringComparison.Ordinal), "waiting for the db wave");
        Assert.Contains($"Sync wave 0: Deployment/{s.Namespace}/db is ", OperatorFixture.ConditionMessage(app, "Reconciling"));
        Assert.Equal("Running", (string?)app["status"]?["operationState"]?["phase"]);
        Assert.Equal(broken, (string?)app["status"]?["operationState"]?["syncRevision"]);
        Assert.Equal("OutOfSync", (string?)app["status"]?["sync"]?["status"]);
        Assert.NotNull(await fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/db"));
        Assert.Null(await s.ConfigMapAsync("web"));
        Assert.Null(await s.ConfigMapAsync("notify"));

        var fixedRev = await s.PushAsync("db fixed", Files(broken: false));
        await s.RefreshAsync();

        app = await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, fixedRev) && (string?)a["status"]?["operationState"]?["phase"] == "Succeeded" &&
            !OperatorFixture.HasCondition(a, "Reconciling"), "every wave applied", TimeSpan.FromSeconds(60));
        Assert.NotNull(await s.ConfigMapAsync("web"));
        Assert.NotNull(await s.ConfigMapAsync("notify"));
    }

    [Fact]
    public async Task ManualSync_CarriesOnThroughItsWaves()
    {
        using var s = await Scenario.StartAsync(fx, "wavesmanual");
        var rev = await s.PushAsync("three waves", Files(broken: false));
        await s.CreateAppAsync(automated: false);
        await s.WaitAsync(a => (string?)a["status"]?["sync"]?["status"] == "OutOfSync", "compared, nothing applied");
        Assert.Null(await fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/db"));

        await s.SyncNowAsync();

        var app = await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, rev) && (string?)a["status"]?["operationState"]?["phase"] == "Succeeded",
            "the manual sync went through every wave", TimeSpan.FromSeconds(60));
        Assert.NotNull(await s.ConfigMapAsync("web"));
        Assert.NotNull(await s.ConfigMapAsync("notify"));
        _ = app;
    }
}
