using GitOps.Engine.Diff;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using Inv = GitOps.Engine.Inventory.Inventory;

namespace GitOps.Engine.Tests.Plan;

/// <summary>Prune safety: only our stale objects, never on an empty render, never past the limit unattended.</summary>
public class PruneTests
{
    private static readonly AppIdentity s_app = new("gitops-system", "shop");
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static ResourceKey Cm(string name) => new("", "ConfigMap", "shop", name);

    /// <summary>A live object for a key: tracked by <paramref name="owner"/> (null = no tracking id), with an optional prune annotation.</summary>
    private static LiveInfo LiveOf(ResourceKey key, string? owner = "gitops-system/shop", string? prune = null)
    {
        var tracking = owner is null ? null : new AppIdentity(owner.Split('/')[0], owner.Split('/')[1]).TrackingId(key);
        return new LiveInfo(true, tracking, prune, new DiffResult(false, [], null, null, DiffResult.InSyncReason), null);
    }

    private static Manifest DesiredCm(string name) => TestJson.Man($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: shop}}");

    /// <summary>
    /// Inventory a..j (10 objects) unless given; desired names; live overrides; policy.
    /// Expected: the names pruned, whether blocked, and the reason on the first non-pruned stale key.
    /// </summary>
    public static TheoryData<string, string[], string[], Dictionary<string, LiveInfo>, SyncPolicy, string[], bool, string?> Prune_TestData()
    {
        var ten = "abcdefghij".Select(c => c.ToString()).ToArray();
        var auto = SyncPolicy.AutomatedFull;
        return new()
        {
            { "stale owned object is pruned", ten, ten[..9], [], auto, ["j"], false, null },
            { "not in previous inventory: never pruned", ten[..9], ten[..8], new() { ["j"] = LiveOf(Cm("j")) }, auto, ["i"], false, null },
            { "tracked by another app: kept", ten, ten[..9], new() { ["j"] = LiveOf(Cm("j"), owner: "team-b/other") }, auto, [], false, PlanReasons.NotOwned },
            { "tracking id removed by a person: kept", ten, ten[..9], new() { ["j"] = LiveOf(Cm("j"), owner: null) }, auto, [], false, PlanReasons.NotOwned },
            { "prune annotation false: kept", ten, ten[..9], new() { ["j"] = LiveOf(Cm("j"), prune: "false") }, auto, [], false, PlanReasons.PruneDisabled },
            { "already gone: no task", ten, ten[..9], new() { ["j"] = LiveInfo.Absent }, auto, [], false, null },
            { "empty render prunes nothing", ten, [], [], auto, [], false, PlanReasons.EmptyRender },
            { "empty render with allowEmpty, by hand", ten, [], [], auto with { AllowEmpty = true, ManualSyncRequested = true }, ten, false, null },
            { "empty render with allowEmpty, automated: over the limit", ten, [], [], auto with { AllowEmpty = true }, [], true, PlanReasons.PruneBlocked },
            { "exactly 50% is allowed", ten, ten[..5], [], auto, ["f", "g", "h", "i", "j"], false, null },
            { "over 50% is blocked", ten, ten[..4], [], auto, [], true, PlanReasons.PruneBlocked },
            { "over the limit but requested by hand", ten, ten[..4], [], auto with { ManualSyncRequested = true }, ["e", "f", "g", "h", "i", "j"], false, null },
            { "count limit 2 blocks 3", ten, ten[..7], [], auto with { PruneLimit = "2" }, [], true, PlanReasons.PruneBlocked },
            { "count limit 3 allows 3", ten, ten[..7], [], auto with { PruneLimit = "3" }, ["h", "i", "j"], false, null },
            { "percent limit 100% allows all", ten, ten[..1], [], auto with { PruneLimit = "100%" }, ten[1..], false, null },
            { "prune off: reported, not pruned", ten, ten[..9], [], auto with { Prune = false }, [], false, PlanReasons.OutOfSync },
            { "manual app without a sync request: not pruned", ten, ten[..9], [], SyncPolicy.Default with { Prune = true }, [], false, PlanReasons.OutOfSync },
            { "manual app with a sync request: pruned", ten, ten[..9], [], SyncPolicy.Default with { Prune = true, ManualSyncRequested = true }, ["j"], false, null },
            { "blocked count ignores objects that are not ours", ten, ten[..5], new() { ["f"] = LiveOf(Cm("f"), owner: "x/y") }, auto, ["g", "h", "i", "j"], false, PlanReasons.NotOwned },
        };
    }

    [Theory]
    [MemberData(nameof(Prune_TestData))]
    public void Build_StaleObjects_PrunesOnlySafely(string caseName, string[] inventory, string[] desired, Dictionary<string, LiveInfo> liveOverrides, SyncPolicy policy, string[] expectedPruned, bool expectedBlocked, string? expectedKeptReason)
    {
        var live = inventory.Concat(desired).Distinct().ToDictionary(Cm, n => liveOverrides.GetValueOrDefault(n) ?? LiveOf(Cm(n)));
        foreach (var (n, info) in liveOverrides) live[Cm(n)] = info;
        var input = new PlanInput(s_app, desired.Select(DesiredCm).ToArray(), live, Inv.Of(inventory.Select(Cm)), policy, s_now);

        var plan = PlanBuilder.Build(input);

        var pruned = plan.Tasks.Where(t => t.Action == SyncAction.Prune).Select(t => t.Key.Name).Order().ToArray();
        Assert.True(expectedPruned.SequenceEqual(pruned), $"{caseName}: pruned [{string.Join(",", pruned)}]\n{plan}");
        Assert.True(plan.PruneBlocked == expectedBlocked, $"{caseName}: blocked={plan.PruneBlocked}\n{plan}");
        if (expectedKeptReason is not null)
        {
            var kept = plan.Tasks.First(t => t.Desired is null && t.Action == SyncAction.Skip);
            Assert.True(kept.Reason == expectedKeptReason, $"{caseName}: {kept}");
        }

        Assert.True(plan.Tasks.All(t => t.Action != SyncAction.Prune || !desired.Contains(t.Key.Name)), caseName);
    }

    [Fact]
    public void Build_PruneLast_PruneWaitsUntilEveryWaveIsApplied()
    {
        var desired = new[] { DesiredCm("a").With(o => o["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { [Waves.WaveAnnotation] = "5" }) };
        var live = new Dictionary<ResourceKey, LiveInfo> { [Cm("a")] = LiveOf(Cm("a")) with { Diff = new DiffResult(true, ["/data"], null, null, DiffResult.ModifiedReason) }, [Cm("z")] = LiveOf(Cm("z")) };
        var input = new PlanInput(s_app, desired, live, Inv.Of([Cm("a"), Cm("z")]), SyncPolicy.AutomatedFull with { PruneLast = true, PruneLimit = "100%" }, s_now);

        var plan = PlanBuilder.Build(input);

        Assert.Equal(["Apply ConfigMap/shop/a", "Skip ConfigMap/shop/z"], plan.Tasks.Select(t => $"{t.Action} {t.Key}"));
        Assert.Equal(PlanReasons.WaitingForWave, plan.Tasks.Last().Reason);
        Assert.Equal(Waves.PruneLastWave, plan.Waves[^1].Wave);

        // The next reconcile: a is applied and healthy, so the prune runs.
        live[Cm("a")] = LiveOf(Cm("a")) with { Diff = new DiffResult(false, [], null, null, DiffResult.InSyncReason) };
        var next = PlanBuilder.Build(input);
        Assert.Equal(["Skip ConfigMap/shop/a", "Prune ConfigMap/shop/z"], next.Tasks.Select(t => $"{t.Action} {t.Key}"));
        Assert.Null(next.WaitingForWave);
    }

    public static TheoryData<string, string> BadLimit_TestData() => new()
    {
        { "words", "half" },
        { "over 100%", "150%" },
        { "negative", "-1" },
    };

    [Theory]
    [MemberData(nameof(BadLimit_TestData))]
    public void Parse_BadPruneLimit_Throws(string caseName, string text)
    {
        var e = Assert.Throws<FormatException>(() => PruneLimit.Parse(text));
        Assert.True(e.Message.Contains(text, StringComparison.Ordinal), caseName);
    }
}
