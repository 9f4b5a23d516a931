using Cronos;

namespace GitOps.Engine.Policy.Projects;

/// <summary>
/// A time window of a Project (Argo CD's syncWindows): <c>allow</c> or <c>deny</c>, starting at each
/// time the cron <see cref="Schedule"/> names and lasting <see cref="Duration"/>. It applies to the
/// Applications whose name matches <see cref="Applications"/> or whose destination namespace matches
/// <see cref="Namespaces"/> (both empty: every Application of the Project). <see cref="ManualSync"/>
/// lets a person sync by hand when the window would stop automated syncs.
/// </summary>
public sealed record SyncWindow(string Kind, string Schedule, TimeSpan Duration, IReadOnlyList<string> Applications, IReadOnlyList<string> Namespaces, bool ManualSync, TimeZoneInfo TimeZone)
{
    private CronExpression Cron => CronExpression.Parse(Schedule);

    public bool IsAllow => Kind == "allow";

    public bool AppliesTo(string application, string destinationNamespace) =>
        (Applications.Count == 0 && Namespaces.Count == 0)
        || Wildcard.Allows(Applications, application)
        || Wildcard.Allows(Namespaces, destinationNamespace);

    /// <summary>Whether a start of the window falls in (now - duration, now].</summary>
    public bool IsActive(DateTimeOffset now)
    {
        var start = Cron.GetNextOccurrence(now - Duration, TimeZone, inclusive: false);
        return start is { } s && s <= now;
    }

    public override string ToString() => $"{Kind} window \"{Schedule}\" for {Duration}";

    /// <summary>Checks a schedule as the Project parser does: null when it is valid, else why not.</summary>
    public static string? ScheduleError(string schedule)
    {
        try
        {
            CronExpression.Parse(schedule);
            return null;
        }
        catch (CronFormatException e)
        {
            return e.Message;
        }
    }
}
