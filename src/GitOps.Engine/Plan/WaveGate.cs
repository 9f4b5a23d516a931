using GitOps.Engine.Health;

namespace GitOps.Engine.Plan;

/// <summary>
/// Sync waves wait for the waves before them, as in Argo CD: a wave's applies and prunes run only
/// once every earlier wave (phases first: PreSync, Sync, PostSync) has nothing left to apply and
/// its live objects are healthy. A wave still being applied, or one with a live object that is
/// Progressing or Degraded, defers every later wave to a later reconcile (its watch events bring
/// one); the deferred tasks become Skip (WaitingForWave) with the reason. With a single wave
/// nothing is ever deferred.
/// </summary>
public static class WaveGate
{
    public static (IReadOnlyList<SyncWave> Waves, string? Waiting) Apply(IReadOnlyList<SyncWave> waves, HealthRegistry health)
    {
        var result = new List<SyncWave>(waves.Count);
        string? blockedBy = null;
        var deferred = false;
        foreach (var wave in waves)
        {
            if (blockedBy is not null)
            {
                var tasks = wave.Tasks.Select(t => t.Action is SyncAction.Apply or SyncAction.Prune ? Defer(t, blockedBy) : t).ToArray();
                deferred |= tasks.Any(t => t.Reason == PlanReasons.WaitingForWave);
                result.Add(wave with { Tasks = tasks });
                continue;
            }
            result.Add(wave);
            blockedBy = Blocker(wave, health);
        }
        return (result, deferred ? blockedBy : null);
    }

    private static SyncTask Defer(SyncTask task, string blockedBy) =>
        task with { Action = SyncAction.Skip, Reason = PlanReasons.WaitingForWave, Message = $"{(task.Action == SyncAction.Prune ? "prune" : "apply")} waits: {blockedBy}" };

    /// <summary>Why the waves after this one must wait, or null when they need not.</summary>
    private static string? Blocker(SyncWave wave, HealthRegistry health)
    {
        var label = WaveLabel(wave);
        var applying = wave.Tasks.Count(t => t.Action == SyncAction.Apply);
        if (applying > 0) return $"{label} is being applied ({applying} object(s))";
        foreach (var t in wave.Tasks)
        {
            if (t.Desired is null || t.Live is null || t.Action == SyncAction.Hold || t.Reason == PlanReasons.SharedResource) continue;
            if (health.Assess(t.Live) is { Code: HealthCode.Progressing or HealthCode.Degraded } status)
                return $"{label}: {t.Key} is {status.Code}{(status.Message.Length > 0 ? $" ({status.Message})" : "")}";
        }
        return null;
    }

    private static string WaveLabel(SyncWave wave) =>
        $"{wave.Phase} wave {(wave.Wave == Waves.PruneLastWave ? "last" : wave.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}
