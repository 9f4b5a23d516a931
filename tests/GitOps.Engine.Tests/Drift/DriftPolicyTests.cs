using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Drift;

namespace GitOps.Engine.Tests.Drift;

public class DriftPolicyTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DiffResult s_modified = new(true, ["/spec/replicas"], null, null, DiffResult.ModifiedReason);
    private static readonly DiffResult s_inSync = new(false, [], null, null, DiffResult.InSyncReason);
    private static readonly DiffResult s_missing = new(true, [""], null, null, DiffResult.MissingReason);

    private static JsonObject Live(string? hold = null, string? until = null)
    {
        var annotations = new JsonObject();
        if (hold is not null) annotations[DriftPolicy.HoldAnnotation] = hold;
        if (until is not null) annotations[DriftPolicy.HoldUntilAnnotation] = until;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "a", ["annotations"] = annotations } };
    }

    // caseName, diff, live, automated, selfHeal, revisionChanged, manual, expected action, expected until (or null)
    public static TheoryData<string, DiffResult, JsonObject?, bool, bool, bool, bool, DriftAction, string?> Decide_TestData() => new()
    {
        { "in sync", s_inSync, Live(), true, true, false, false, DriftAction.InSync, null },
        { "self-heal heals", s_modified, Live(), true, true, false, false, DriftAction.Heal, null },
        { "automated without self-heal reports cluster drift", s_modified, Live(), true, false, false, false, DriftAction.Report, null },
        { "automated without self-heal rolls out a new revision", s_modified, Live(), true, false, true, false, DriftAction.Heal, null },
        { "manual only reports", s_modified, Live(), false, false, true, false, DriftAction.Report, null },
        { "manual sync heals", s_modified, Live(), false, false, false, true, DriftAction.Heal, null },
        { "missing with self-heal is recreated", s_missing, null, true, true, false, false, DriftAction.Heal, null },
        { "missing without self-heal is reported", s_missing, null, true, false, false, false, DriftAction.Report, null },
        { "hold in the future holds", s_modified, Live("hotfix INC-42", "2026-03-01T13:00:00Z"), true, true, false, false, DriftAction.Hold, "2026-03-01T13:00:00Z" },
        { "hold with offset in the future", s_modified, Live("hotfix", "2026-03-01T14:30:00+02:00"), true, true, false, false, DriftAction.Hold, "2026-03-01T12:30:00Z" },
        { "expired hold heals", s_modified, Live("hotfix", "2026-03-01T11:59:59Z"), true, true, false, false, DriftAction.Heal, null },
        { "hold ending now heals", s_modified, Live("hotfix", "2026-03-01T12:00:00Z"), true, true, false, false, DriftAction.Heal, null },
        { "hold without until holds indefinitely", s_modified, Live("investigating"), true, true, false, false, DriftAction.Hold, null },
        { "unreadable until holds (safe side)", s_modified, Live("x", "tomorrow"), true, true, false, false, DriftAction.Hold, null },
        { "hold also stops a new revision", s_modified, Live("x", "2026-03-02T00:00:00Z"), true, true, true, false, DriftAction.Hold, "2026-03-02T00:00:00Z" },
        { "manual sync overrides a hold", s_modified, Live("x", "2026-03-02T00:00:00Z"), true, true, false, true, DriftAction.Heal, null },
        { "hold on an in-sync object is irrelevant", s_inSync, Live("x"), true, true, false, false, DriftAction.InSync, null },
    };

    [Theory]
    [MemberData(nameof(Decide_TestData))]
    public void Decide_Pair_ExpectedAction(string caseName, DiffResult diff, JsonObject? live, bool automated, bool selfHeal, bool revisionChanged, bool manual, DriftAction expected, string? expectedUntil)
    {
        var decision = DriftPolicy.Decide(new DriftInput(diff, live, automated, selfHeal, revisionChanged, manual, s_now));

        Assert.True(decision.Action == expected, $"{caseName}: {decision}");
        Assert.Equal(expectedUntil is null ? null : DateTimeOffset.Parse(expectedUntil, System.Globalization.CultureInfo.InvariantCulture), decision.HoldUntil);
    }
}
