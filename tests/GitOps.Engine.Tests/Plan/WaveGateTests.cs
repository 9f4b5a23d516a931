using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using Inv = GitOps.Engine.Inventory.Inventory;

namespace GitOps.Engine.Tests.Plan;

/// <summary>Waves wait for the waves before them to be applied and healthy.</summary>
public class WaveGateTests
{
    private static readonly AppIdentity s_app = new("gitops-system", "shop");
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DiffResult s_inSync = new(false, [], null, null, DiffResult.InSyncReason);
    private static readonly DiffResult s_modified = new(true, ["/data"], null, null, DiffResult.ModifiedReason);

    private static Manifest Db(int wave, string phase = "Sync") => TestJson.Man(
        $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: db, namespace: shop, annotations: {{gitops.dev/sync-wave: \"{wave}\", gitops.dev/sync-phase: {phase}}}}}\nspec: {{replicas: 1}}");

    private static Manifest Cm(string name, int wave, string phase = "Sync") => TestJson.Man(
        $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: shop, annotations: {{gitops.dev/sync-wave: \"{wave}\", gitops.dev/sync-phase: {phase}}}}}");

    /// <summary>A live Deployment: rolled out (Healthy), still rolling out (Progressing) or past its deadline (Degraded).</summary>
    private static JsonObject LiveDb(string health) => JsonNode.Parse(health switch
    {
        "Healthy" => """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"db","namespace":"shop","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"availableReplicas":1}}""",
        "Progressing" => """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"db","namespace":"shop","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":0}}""",
        _ => """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"db","namespace":"shop","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"too slow"}]}}""",
    })!.AsObject();

    private static LiveInfo Live(JsonObject obj, DiffResult diff) => LiveInfo.Of(obj, diff);

    private static SyncPlan Plan(IReadOnlyList<Manifest> desired, Dictionary<ResourceKey, LiveInfo> live, SyncPolicy? policy = null) =>
        PlanBuilder.Build(new PlanInput(s_app, desired, live, Inv.Of(desired.Select(m => m.Key)), policy ?? SyncPolicy.AutomatedFull, s_now));

    private static string Summary(SyncPlan plan) => string.Join(", ", plan.Tasks.Select(t => $"{t.Action} {t.Key.Name}"));

    public static TheoryData<string, string, string, bool> Health_TestData => new()
    {
        { "wave 0 healthy: wave 1 applies", "Healthy", "Skip db, Apply app", false },
        { "wave 0 still rolling out: wave 1 waits", "Progressing", "Skip db, Skip app", true },
        { "wave 0 degraded: wave 1 waits", "Degraded", "Skip db, Skip app", true },
    };

    [Theory]
    [MemberData(nameof(Health_TestData))]
    public void Build_LaterWave_WaitsForHealthOfEarlierOnes(string caseName, string dbHealth, string expected, bool waits)
    {
        _ = caseName;
        var db = Db(0);
        var app = Cm("app", 1);
        var live = new Dictionary<ResourceKey, LiveInfo> { [db.Key] = Live(LiveDb(dbHealth), s_inSync), [app.Key] = LiveInfo.Absent };

        var plan = Plan([db, app], live);

        Assert.Equal(expected, Summary(plan));
        Assert.Equal(waits, plan.WaitingForWave is not null);
        if (waits) Assert.Contains($"Sync wave 0: Deployment/shop/db is {dbHealth}", plan.Tasks.Last().Message);
    }

    [Fact]
    public void Build_EarlierWaveBeingApplied_LaterWavesAndTheirPrunesWait()
    {
        var cfg = Cm("cfg", -1);
        var app = Cm("app", 0);
        var old = new ResourceKey("", "ConfigMap", "shop", "old");
        var live = new Dictionary<ResourceKey, LiveInfo>
        {
            [cfg.Key] = LiveInfo.Absent,
            [app.Key] = LiveInfo.Absent,
            [old] = new(true, s_app.TrackingId(old), null, s_inSync, null),
        };
        var input = new PlanInput(s_app, [cfg, app], live, Inv.Of([cfg.Key, app.Key, old]), SyncPolicy.AutomatedFull, s_now);

        var plan = PlanBuilder.Build(input);

        Assert.Equal("Apply cfg, Skip app, Skip old", Summary(plan));
        Assert.All(plan.Tasks.Skip(1), t => Assert.Equal(PlanReasons.WaitingForWave, t.Reason));
        Assert.Equal("Sync wave -1 is being applied (1 object(s))", plan.WaitingForWave);
    }

    [Fact]
    public void Build_Phases_PostSyncWaitsForSyncAndSyncForPreSync()
    {
        var migrate = Cm("migrate", 0, "PreSync");
        var app = Cm("app", 0);
        var notify = Cm("notify", 0, "PostSync");
        var live = new Dictionary<ResourceKey, LiveInfo> { [migrate.Key] = LiveInfo.Absent, [app.Key] = LiveInfo.Absent, [notify.Key] = LiveInfo.Absent };

        Assert.Equal("Apply migrate, Skip app, Skip notify", Summary(Plan([migrate, app, notify], live)));

        live[migrate.Key] = new(true, s_app.TrackingId(migrate.Key), null, s_inSync, null);
        Assert.Equal("Skip migrate, Apply app, Skip notify", Summary(Plan([migrate, app, notify], live)));

        live[app.Key] = new(true, s_app.TrackingId(app.Key), null, s_inSync, null);
        var last = Plan([migrate, app, notify], live);
        Assert.Equal("Skip migrate, Skip app, Apply notify", Summary(last));
        Assert.Null(last.WaitingForWave);
    }

    [Fact]
    public void Build_OneWave_NeverWaits()
    {
        var db = Db(0);
        var app = Cm("app", 0);
        var live = new Dictionary<ResourceKey, LiveInfo> { [db.Key] = Live(LiveDb("Progressing"), s_modified), [app.Key] = LiveInfo.Absent };

        var plan = Plan([db, app], live);

        Assert.Equal(2, plan.Summary.Apply);
        Assert.Null(plan.WaitingForWave);
    }

    [Fact]
    public void Build_NothingLaterToDo_NoWaitingReported()
    {
        var db = Db(0);
        var app = Cm("app", 1);
        var live = new Dictionary<ResourceKey, LiveInfo>
        {
            [db.Key] = Live(LiveDb("Progressing"), s_inSync),
            [app.Key] = new(true, s_app.TrackingId(app.Key), null, s_inSync, null),
        };

        var plan = Plan([db, app], live);

        Assert.True(plan.IsNoOp);
        Assert.Null(plan.WaitingForWave);
    }
}
