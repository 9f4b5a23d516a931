using GitOps.Engine.Operation;

namespace GitOps.Engine.Tests.Operation;

public class SyncOperationTests
{
    private static readonly DateTimeOffset s_then = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_now = s_then.AddMinutes(5);
    private const string Rev = "0123456789abcdef0123";
    private const string Other = "fedcba9876543210fedc";

    private static OperationState Op(string? phase, string? revision = Rev, int? retries = 0, bool? manual = false) =>
        new() { Phase = phase, SyncRevision = revision, RetryCount = retries, Manual = manual, StartedAt = s_then, Message = "before" };

    // caseName, previous, revision, retry limit, manual requested, expected (continuing, manual)
    public static TheoryData<string, OperationState, string, int, bool, bool, bool> CarryOn_TestData() => new()
    {
        { "no previous operation", OperationState.None, Rev, 5, false, false, false },
        { "running, same revision", Op("Running"), Rev, 5, false, true, false },
        { "running, another revision", Op("Running", Other), Rev, 5, false, false, false },
        { "failed with retries left", Op("Failed", retries: 2), Rev, 5, false, true, false },
        { "failed at the limit", Op("Failed", retries: 5), Rev, 5, false, true, false },
        { "failed past the limit", Op("Failed", retries: 6), Rev, 5, false, false, false },
        { "failed, no retry count", Op("Failed", retries: null), Rev, 5, false, false, false },
        { "succeeded", Op("Succeeded"), Rev, 5, false, false, false },
        { "carried-on manual sync stays manual", Op("Running", manual: true), Rev, 5, false, true, true },
        { "manual sync requested now", OperationState.None, Rev, 5, true, false, true },
        { "manual flag of another revision is not carried", Op("Running", Other, manual: true), Rev, 5, false, false, false },
    };

    [Theory]
    [MemberData(nameof(CarryOn_TestData))]
    public void CarryOn_Previous_DecidesContinuingAndManual(string caseName, OperationState previous, string revision, int limit, bool requested, bool continuing, bool manual)
    {
        var carry = SyncOperation.CarryOn(previous, revision, limit, requested);
        Assert.True(carry == new Carry(continuing, manual), $"{caseName}: {carry}");
    }

    private static SyncOutcome Outcome(bool attempted = true, string[]? errors = null, string? waiting = null, bool continuing = false, bool manual = false,
        bool planned = true, bool failed = false, string? revision = Rev) =>
        new(revision, planned, failed, attempted, errors ?? [], waiting, Applied: 3, Pruned: 1, new Carry(continuing, manual));

    // caseName, previous, outcome, expected phase, message, retry count, sync revision kept, started at
    public static TheoryData<string, OperationState, SyncOutcome, string?, string?, int?, string?, DateTimeOffset?> Next_TestData() => new()
    {
        { "a sync that applied", OperationState.None, Outcome(), "Succeeded", "applied 3, pruned 1 at 0123456789ab", 0, null, s_now },
        { "a sync that failed", OperationState.None, Outcome(errors: ["b: no", "a: no"]), "Failed", "a: no; b: no", 1, Rev, s_now },
        { "a retry that failed again", Op("Failed", retries: 2), Outcome(errors: ["a: no"], continuing: true), "Failed", "a: no", 3, Rev, s_then },
        { "a failed sync of a new revision starts counting again", Op("Failed", Other, retries: 4), Outcome(errors: ["a: no"]), "Failed", "a: no", 1, Rev, s_now },
        { "a retry with nothing to apply that still fails counts", Op("Failed", retries: 1), Outcome(attempted: false, errors: ["a: no"], continuing: true), "Failed", "a: no", 2, Rev, s_then },
        { "waves waiting", OperationState.None, Outcome(waiting: "wave 1 waits for wave 0"), "Running", "waiting: wave 1 waits for wave 0", 0, Rev, s_now },
        { "waves waiting, carried on", Op("Running"), Outcome(attempted: false, waiting: "wave 2", continuing: true), "Running", "waiting: wave 2", 0, Rev, s_then },
        { "waits over, nothing left to apply", Op("Running"), Outcome(attempted: false, continuing: true), "Succeeded", "every wave applied at 0123456789ab", 0, null, s_then },
        { "nothing to do keeps the previous", Op("Succeeded"), Outcome(attempted: false), "Succeeded", "before", 0, Rev, s_then },
        { "a stage failure keeps the previous", Op("Running"), Outcome(attempted: false, continuing: true, planned: false, failed: true), "Running", "before", 0, Rev, s_then },
        { "nothing ever", OperationState.None, Outcome(attempted: false), null, null, null, null, null },
    };

    [Theory]
    [MemberData(nameof(Next_TestData))]
    public void Next_Outcome_GivesOperationState(string caseName, OperationState previous, SyncOutcome outcome, string? phase, string? message, int? retries, string? syncRevision, DateTimeOffset? startedAt)
    {
        var next = SyncOperation.Next(previous, outcome, s_now);
        Assert.True((phase, message, retries, syncRevision, startedAt) == (next.Phase, next.Message, next.RetryCount, next.SyncRevision, next.StartedAt), $"{caseName}: {next}");
    }

    [Fact]
    public void Next_FailedManualSync_KeepsManualForTheRetries()
    {
        var next = SyncOperation.Next(OperationState.None, Outcome(errors: ["a: no"], manual: true), s_now);
        Assert.True(next.Manual == true && next.FinishedAt == s_now, next.ToString());
    }

    private static IReadOnlyList<HistoryEntry> Entries(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new HistoryEntry(i, $"rev{i}", s_then.AddMinutes(i)))];

    // caseName, previous, outcome, expected count, expected last revision, expected last id
    public static TheoryData<string, IReadOnlyList<HistoryEntry>, SyncOutcome, int, string?, long?> History_TestData() => new()
    {
        { "first deploy", [], Outcome(), 1, Rev, 1 },
        { "a new revision", Entries(3), Outcome(), 4, Rev, 4 },
        { "the same revision again (a heal)", [.. Entries(2), new HistoryEntry(3, Rev, s_then)], Outcome(), 3, Rev, 3 },
        { "a failed sync adds nothing", Entries(2), Outcome(errors: ["a: no"]), 2, "rev2", 2 },
        { "no sync adds nothing", Entries(2), Outcome(attempted: false), 2, "rev2", 2 },
        { "no revision adds nothing", Entries(2), Outcome(revision: null), 2, "rev2", 2 },
        { "the oldest goes past ten", Entries(10), Outcome(), 10, Rev, 11 },
    };

    [Theory]
    [MemberData(nameof(History_TestData))]
    public void History_Outcome_AppendsDeployments(string caseName, IReadOnlyList<HistoryEntry> previous, SyncOutcome outcome, int count, string? lastRevision, long? lastId)
    {
        var history = SyncOperation.History(previous, outcome, s_now);
        Assert.True((count, lastRevision, lastId) == (history.Count, history.LastOrDefault()?.Revision, history.LastOrDefault()?.Id), $"{caseName}: {string.Join(", ", history)}");
    }

    private static readonly RetryPolicy s_retry = new(3, TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(12));

    // caseName, previous retry count, outcome, automated, expected delay (null = none)
    public static TheoryData<string, int?, SyncOutcome, bool, TimeSpan?> RetryDelay_TestData() => new()
    {
        { "first failure", null, Outcome(errors: ["x"]), true, TimeSpan.FromSeconds(5) },
        { "second failure doubles", 1, Outcome(errors: ["x"], continuing: true), true, TimeSpan.FromSeconds(10) },
        { "third is capped", 2, Outcome(errors: ["x"], continuing: true), true, TimeSpan.FromSeconds(12) },
        { "retries used up", 3, Outcome(errors: ["x"], continuing: true), true, null },
        { "manual sync: no retry", null, Outcome(errors: ["x"]), false, null },
        { "no failure", null, Outcome(), true, null },
        { "errors without a sync (render left objects out)", null, Outcome(attempted: false, errors: ["x"]), true, null },
    };

    [Theory]
    [MemberData(nameof(RetryDelay_TestData))]
    public void RetryDelay_Failure_BacksOff(string caseName, int? retries, SyncOutcome outcome, bool automated, TimeSpan? expected)
    {
        var delay = SyncOperation.RetryDelay(new OperationState { RetryCount = retries }, outcome, automated, s_retry);
        Assert.True(delay == expected, $"{caseName}: {delay}");
    }

    // caseName, hold ends (minutes from now), wave waiting, retry delay (s), expected
    public static TheoryData<string, int[], bool, int?, TimeSpan> NextRun_TestData() => new()
    {
        { "the interval", [], false, null, TimeSpan.FromMinutes(3) },
        { "a hold ends sooner", [1, 2], false, null, TimeSpan.FromMinutes(1) + NextRun.AfterHold },
        { "a hold ended already", [-1], false, null, TimeSpan.Zero },
        { "a wave waits", [], true, null, NextRun.WaveRecheck },
        { "a retry sooner than all", [1], true, 2, TimeSpan.FromSeconds(2) },
        { "a retry later than the interval", [], false, 600, TimeSpan.FromMinutes(3) },
    };

    [Theory]
    [MemberData(nameof(NextRun_TestData))]
    public void NextRun_After_TakesTheSoonest(string caseName, int[] holdEnds, bool waveWaiting, int? retrySeconds, TimeSpan expected)
    {
        var after = NextRun.After(TimeSpan.FromMinutes(3), s_now, holdEnds.Select(m => s_now.AddMinutes(m)), waveWaiting,
            retrySeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        Assert.True(after == expected, $"{caseName}: {after}");
    }

    // caseName, previous, revision, limit, expected
    public static TheoryData<string, OperationState, string, int, bool> RetriesExhausted_TestData() => new()
    {
        { "failed past the limit", Op("Failed", retries: 3), Rev, 2, true },
        { "failed at the limit: one retry left", Op("Failed", retries: 2), Rev, 2, false },
        { "limit 0: the first failure ends it", Op("Failed", retries: 1), Rev, 0, true },
        { "another revision", Op("Failed", Other, retries: 9), Rev, 2, false },
        { "succeeded", Op("Succeeded", retries: 9), Rev, 2, false },
    };

    [Theory]
    [MemberData(nameof(RetriesExhausted_TestData))]
    public void RetriesExhausted_Previous_Decides(string caseName, OperationState previous, string revision, int limit, bool expected) =>
        Assert.True(SyncOperation.RetriesExhausted(previous, revision, limit) == expected, caseName);
}
