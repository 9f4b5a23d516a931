using GitOps.Engine.Operation;
using GitOps.Operator.Notifications;
using GitOps.Operator.Status;

namespace GitOps.Operator.Tests.Notifications;

public class NotificationEventDetectorTests
{
    private const string Rev1 = "1111111111111111111111111111111111111111";
    private const string Rev2 = "2222222222222222222222222222222222222222";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Earlier = Now.AddMinutes(-5);

    private static ApplicationStatus Status(string sync = "Synced", string rev = Rev1, string health = "Healthy", HistoryEntry[]? history = null,
        OperationState? op = null, params (string Type, string Message)[] conditions) => new()
    {
        Sync = new SyncSummary(sync, rev),
        Health = new HealthSummary(health, health == "Degraded" ? "Deployment/shop/web: 0 of 2 replicas available" : ""),
        History = history ?? [new HistoryEntry(1, Rev1, Earlier)],
        OperationState = op,
        Conditions = [.. conditions.Select(c => new Condition(c.Type, Condition.True, c.Type, c.Message, Earlier, 1))],
    };

    private static readonly HistoryEntry[] Deployed2 = [new(1, Rev1, Earlier), new(2, Rev2, Now)];
    private static readonly OperationState FailedEarlier = new() { Phase = OperationState.Failed, Message = "Deployment/shop/web: invalid", FinishedAt = Earlier, SyncRevision = Rev2 };
    private static readonly OperationState FailedNow = FailedEarlier with { FinishedAt = Now };

    public static TheoryData<string, ApplicationStatus, ApplicationStatus, int, string> Detect_TestData() => new()
    {
        { "nothing changed", Status(), Status(), 0, "" },
        { "first sync", Status(sync: "Unknown", history: []), Status(), 0, "synced@1111111111" },
        { "new revision deployed", Status(), Status(rev: Rev2, history: Deployed2), 0, "synced@2222222222" },
        { "synced again at the same revision (manual sync after drift)", Status(sync: "OutOfSync"), Status(), 0, "" },
        { "sync failed now", Status(), Status(sync: "OutOfSync", rev: Rev2, op: FailedNow), 0, "sync-failed@2222222222" },
        { "the same failure still there", Status(sync: "OutOfSync", rev: Rev2, op: FailedNow), Status(sync: "OutOfSync", rev: Rev2, op: FailedNow), 0, "" },
        { "a retry failed again", Status(sync: "OutOfSync", rev: Rev2, op: FailedEarlier), Status(sync: "OutOfSync", rev: Rev2, op: FailedNow), 0, "sync-failed@2222222222" },
        { "source failed", Status(), Status(conditions: (Reasons.SourceError, "repository not found")), 0, "sync-failed@1111111111" },
        { "source still failing", Status(conditions: (Reasons.SourceError, "x")), Status(conditions: (Reasons.SourceError, "x")), 0, "" },
        { "health degraded", Status(), Status(health: "Degraded"), 0, "health-degraded@1111111111" },
        { "still degraded", Status(health: "Degraded"), Status(health: "Degraded"), 0, "" },
        { "progressing is not degraded", Status(), Status(health: "Progressing"), 0, "" },
        { "drift detected without self-heal", Status(), Status(sync: "OutOfSync", conditions: (Reasons.Drifted, "1 object(s) differ")), 0, "drift-detected@1111111111" },
        { "drift healed", Status(), Status(), 2, "drift-healed@1111111111" },
        { "prune blocked", Status(), Status(sync: "OutOfSync", conditions: (Reasons.PruneBlocked, "would prune 12 > pruneLimit 5")), 0, "prune-blocked@1111111111" },
        { "deployed and degraded at once", Status(), Status(rev: Rev2, health: "Degraded", history: Deployed2), 0, "synced@2222222222 health-degraded@2222222222" },
        { "the rollout finished after the deploy", Status(rev: Rev2, health: "Progressing", history: Deployed2), Status(rev: Rev2, history: Deployed2), 0, "healthy@2222222222" },
        { "recovered from Degraded", Status(health: "Degraded"), Status(), 0, "healthy@1111111111" },
        { "deployed and healthy at once: synced only", Status(), Status(rev: Rev2, history: Deployed2), 0, "synced@2222222222" },
        { "healthy at the first status is no event", Status(sync: "Unknown", health: "Unknown", history: []), Status(sync: "Unknown", health: "Healthy", history: []), 0, "" },
    };

    [Theory]
    [MemberData(nameof(Detect_TestData))]
    public void Detect_StatusBeforeAndAfter_EventsOnTheChangeOnly(string caseName, ApplicationStatus before, ApplicationStatus after, int healed, string expected)
    {
        var facts = new ReconcileFacts("shop", "web", "https://git.example.com/shop/config.git", healed, Now);

        var events = NotificationEventDetector.Detect(before, after, facts);

        Assert.True(expected == string.Join(' ', events.Select(e => $"{e.Name}@{e.Revision[..10]}")),
            $"{caseName}: {string.Join(", ", events)}");
        Assert.All(events, e => Assert.Equal(("shop", "web", Now), (e.AppNamespace, e.AppName, e.At)));
    }

    [Fact]
    public void Detect_SyncFailed_MessageFromTheOperation()
    {
        var e = Assert.Single(NotificationEventDetector.Detect(Status(), Status(sync: "OutOfSync", rev: Rev2, op: FailedNow), new ReconcileFacts("shop", "web", "", 0, Now)));

        Assert.Equal(NotificationEventKind.SyncFailed, e.Kind);
        Assert.Equal("Deployment/shop/web: invalid", e.Message);
    }
}
