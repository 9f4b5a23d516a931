using GitOps.Engine.Policy.Projects;

namespace GitOps.Engine.Tests.Policy;

public class SyncWindowTests
{
    private static SyncWindow Window(string kind, string schedule, int hours, bool manual = false, string[]? apps = null, string[]? namespaces = null) =>
        new(kind, schedule, TimeSpan.FromHours(hours), apps ?? [], namespaces ?? [], manual, TimeZoneInfo.Utc);

    // 2026-12-07 is a Monday.
    private static readonly DateTimeOffset MondayNight = new(2026, 12, 7, 22, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNoon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, SyncWindow[], DateTimeOffset, bool, bool> Evaluate_TestData() => new()
    {
        { "no windows", [], MondayNoon, true, true },
        { "deny at night, at night", [Window("deny", "0 22 * * *", 2)], MondayNight, false, false },
        { "deny at night, at noon", [Window("deny", "0 22 * * *", 2)], MondayNoon, true, true },
        { "deny at night with manualSync", [Window("deny", "0 22 * * *", 2, manual: true)], MondayNight, false, true },
        { "allow office hours, at noon", [Window("allow", "0 9 * * 1-5", 8)], MondayNoon, true, true },
        { "allow office hours, at night", [Window("allow", "0 9 * * 1-5", 8)], MondayNight, false, false },
        { "allow office hours with manualSync, at night", [Window("allow", "0 9 * * 1-5", 8, manual: true)], MondayNight, false, true },
        { "deny wins over allow", [Window("allow", "0 0 * * *", 24), Window("deny", "0 22 * * *", 2)], MondayNight, false, false },
        { "window for other apps", [Window("deny", "0 22 * * *", 2, apps: ["billing-*"])], MondayNight, true, true },
        { "window for this app", [Window("deny", "0 22 * * *", 2, apps: ["web*"])], MondayNight, false, false },
        { "window for its namespace", [Window("deny", "0 22 * * *", 2, namespaces: ["prod"])], MondayNight, false, false },
        { "weekend deny on a Monday", [Window("deny", "0 0 * * 6", 48)], MondayNight, true, true },
    };

    [Theory]
    [MemberData(nameof(Evaluate_TestData))]
    public void Evaluate_Windows_AllowsAsArgoCdDoes(string caseName, SyncWindow[] windows, DateTimeOffset now, bool automated, bool manual)
    {
        var verdict = SyncWindowVerdict.Evaluate(windows, "web", "prod", now);

        Assert.True(verdict.AutomatedAllowed == automated && verdict.ManualAllowed == manual, $"{caseName}: {verdict}");
        Assert.Equal(automated, verdict.Message is null);
    }

    [Fact]
    public void IsActive_TimeZone_CountsInThatZone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var window = new SyncWindow("deny", "0 22 * * *", TimeSpan.FromHours(1), [], [], false, berlin);

        Assert.True(window.IsActive(new DateTimeOffset(2026, 12, 7, 21, 30, 0, TimeSpan.Zero))); // 22:30 in Berlin
        Assert.False(window.IsActive(MondayNight)); // 23:30 in Berlin
    }
}
