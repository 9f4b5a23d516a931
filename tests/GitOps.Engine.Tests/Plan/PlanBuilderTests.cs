using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Drift;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using Inv = GitOps.Engine.Inventory.Inventory;

namespace GitOps.Engine.Tests.Plan;

public class PlanBuilderTests
{
    private static readonly AppIdentity s_app = new("gitops-system", "shop");
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Manifest s_web = TestJson.Man("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 2}");
    private static readonly DiffResult s_modified = new(true, ["/spec/replicas"], null, null, DiffResult.ModifiedReason);
    private static readonly DiffResult s_inSync = new(false, [], null, null, DiffResult.InSyncReason);

    private static JsonObject LiveWeb(string? tracking, string? hold = null)
    {
        var live = s_web.ToJson();
        var annotations = new JsonObject();
        if (tracking is not null) annotations[AppIdentity.TrackingIdAnnotation] = tracking;
        if (hold is not null)
        {
            annotations[DriftPolicy.HoldAnnotation] = hold;
            annotations[DriftPolicy.HoldUntilAnnotation] = "2026-03-01T06:00:00Z";
        }

        live["metadata"]!["annotations"] = annotations;
        return live;
    }

    private static readonly string s_ours = s_app.TrackingId(s_web.Key);

    // caseName, live (null = absent), diff, policy, expected action, expected reason
    public static TheoryData<string, JsonObject?, DiffResult?, SyncPolicy, SyncAction, string> Desired_TestData() => new()
    {
        { "missing, automated", null, null, SyncPolicy.AutomatedFull, SyncAction.Apply, PlanReasons.Missing },
        { "missing, manual only", null, null, SyncPolicy.Default, SyncAction.Skip, PlanReasons.OutOfSync },
        { "missing, manual sync requested", null, null, SyncPolicy.Default with { ManualSyncRequested = true }, SyncAction.Apply, PlanReasons.Missing },
        { "modified, self-heal", LiveWeb(s_ours), s_modified, SyncPolicy.AutomatedFull, SyncAction.Apply, PlanReasons.Modified },
        { "modified, no self-heal", LiveWeb(s_ours), s_modified, SyncPolicy.AutomatedFull with { SelfHeal = false }, SyncAction.Skip, PlanReasons.OutOfSync },
        { "in sync", LiveWeb(s_ours), s_inSync, SyncPolicy.AutomatedFull, SyncAction.Skip, PlanReasons.Synced },
        { "held", LiveWeb(s_ours, hold: "INC-7"), s_modified, SyncPolicy.AutomatedFull, SyncAction.Hold, PlanReasons.DriftHeld },
        { "tracked by another app", LiveWeb("team-b/other:apps/Deployment:shop/web"), s_modified, SyncPolicy.AutomatedFull with { ManualSyncRequested = true }, SyncAction.Skip, PlanReasons.SharedResource },
        { "no tracking id: adopted", LiveWeb(null), s_modified, SyncPolicy.AutomatedFull, SyncAction.Apply, PlanReasons.Modified },
        { "exists but not compared", LiveWeb(s_ours), null, SyncPolicy.AutomatedFull, SyncAction.Skip, PlanReasons.NotCompared },
    };

    [Theory]
    [MemberData(nameof(Desired_TestData))]
    public void Build_DesiredObject_ExpectedTask(string caseName, JsonObject? live, DiffResult? diff, SyncPolicy policy, SyncAction expectedAction, string expectedReason)
    {
        var liveInfo = live is null ? LiveInfo.Absent : LiveInfo.Of(live, diff);
        var input = new PlanInput(s_app, [s_web], new Dictionary<ResourceKey, LiveInfo> { [s_web.Key] = liveInfo }, Inv.Empty, policy, s_now);

        var task = PlanBuilder.Build(input).Tasks.Single();

        Assert.True(task.Action == expectedAction && task.Reason == expectedReason, $"{caseName}: {task}");
    }

    [Fact]
    public void Build_GivenDriftDecision_UsedAsIs()
    {
        var info = LiveInfo.Of(LiveWeb(s_ours), s_modified, DriftDecision.Report("policy says so"));

        var task = PlanBuilder.Build(new PlanInput(s_app, [s_web], new Dictionary<ResourceKey, LiveInfo> { [s_web.Key] = info }, Inv.Empty, SyncPolicy.AutomatedFull, s_now)).Tasks.Single();

        Assert.Equal(SyncAction.Skip, task.Action);
        Assert.Contains("policy says so", task.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrackingId_Key_HasDocumentedForm()
    {
        Assert.Equal("gitops-system/shop:apps/Deployment:shop/web", s_ours);
        Assert.Equal("gitops-system/shop:/Namespace:/shop", s_app.TrackingId(new ResourceKey("", "Namespace", "", "shop")));
    }

    [Fact]
    public void ToString_Plan_OneLinePerTaskAfterSummary()
    {
        var cfg = TestJson.Man("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop, annotations: {gitops.dev/sync-wave: \"-1\"}}");
        var live = new Dictionary<ResourceKey, LiveInfo>
        {
            [s_web.Key] = LiveInfo.Of(LiveWeb(s_ours), s_modified),
            [new ResourceKey("", "Service", "shop", "old")] = new(true, s_app.TrackingId(new ResourceKey("", "Service", "shop", "old")), null, null, null),
        };
        var input = new PlanInput(s_app, [s_web, cfg], live, Inv.Parse(["apps/Deployment/shop/web", "/Service/shop/old", "/ConfigMap/shop/cfg"]), SyncPolicy.AutomatedFull, s_now);

        var text = PlanBuilder.Build(input).ToString();

        Assert.Equal(
            """
            Plan: 1 to apply, 0 to prune, 2 left alone, 0 held
            WaitingForWave: Sync wave -1 is being applied (1 object(s))
            Apply ConfigMap/shop/cfg (Sync, wave -1) Missing: missing; self-heal
            Skip  Deployment/shop/web (Sync, wave 0) WaitingForWave: apply waits: Sync wave -1 is being applied (1 object(s))
            Skip  Service/shop/old (Sync, wave 0) WaitingForWave: prune waits: Sync wave -1 is being applied (1 object(s))
            """.ReplaceLineEndings("\n"),
            text);
    }
}
