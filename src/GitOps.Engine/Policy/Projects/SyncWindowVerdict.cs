namespace GitOps.Engine.Policy.Projects;

/// <summary>What a Project's sync windows allow now, for one Application; <see cref="Message"/> says which window decided.</summary>
public sealed record SyncWindowVerdict(bool AutomatedAllowed, bool ManualAllowed, string? Message)
{
    public static SyncWindowVerdict Open { get; } = new(true, true, null);

    /// <summary>
    /// Argo CD's rules: an active deny window stops every sync (a manual one too, unless it has
    /// manualSync); when allow windows apply and none is active, automated syncs wait (manual ones
    /// go if one of those windows has manualSync). A deny wins over an allow.
    /// </summary>
    public static SyncWindowVerdict Evaluate(IEnumerable<SyncWindow> windows, string application, string destinationNamespace, DateTimeOffset now)
    {
        var applying = windows.Where(w => w.AppliesTo(application, destinationNamespace)).ToList();
        var activeDeny = applying.Where(w => !w.IsAllow && w.IsActive(now)).ToList();
        if (activeDeny.Count > 0)
            return new SyncWindowVerdict(false, activeDeny.All(w => w.ManualSync), $"a sync window denies syncs now: {activeDeny[0]}");
        var allows = applying.Where(w => w.IsAllow).ToList();
        if (allows.Count == 0 || allows.Any(w => w.IsActive(now))) return Open;
        return new SyncWindowVerdict(false, allows.Any(w => w.ManualSync), $"no allow window is open now: {string.Join(", ", allows)}");
    }
}
