using System.Globalization;
using System.Text;

namespace GitOps.Engine.Plan;

/// <summary>The tasks of one (phase, wave), in order.</summary>
public sealed record SyncWave(SyncPhase Phase, int Wave, IReadOnlyList<SyncTask> Tasks)
{
    public override string ToString() =>
        $"{Phase} wave {(Wave == Waves.PruneLastWave ? "last" : Wave.ToString(CultureInfo.InvariantCulture))}: {Tasks.Count} task(s)";
}

/// <summary>How many tasks of each action a plan holds.</summary>
public sealed record PlanSummary(int Apply, int Prune, int Skip, int Hold)
{
    public override string ToString() => $"{Apply} to apply, {Prune} to prune, {Skip} left alone, {Hold} held";
}

/// <summary>
/// An ordered plan: every task sorted by <see cref="SyncTaskOrder"/> and grouped into waves. Skip and
/// Hold tasks are kept so the plan explains every object; only Apply and Prune change anything.
/// </summary>
public sealed record SyncPlan(IReadOnlyList<SyncWave> Waves, bool PruneBlocked, string? PruneBlockedMessage, PlanSummary Summary)
{
    /// <summary>Why some later waves wait (their tasks are Skip WaitingForWave), or null when none do.</summary>
    public string? WaitingForWave { get; init; }

    /// <summary>All tasks in execution order.</summary>
    public IEnumerable<SyncTask> Tasks => Waves.SelectMany(w => w.Tasks);

    /// <summary>True when nothing would change.</summary>
    public bool IsNoOp => Summary.Apply == 0 && Summary.Prune == 0;

    /// <summary>A summary line, a PruneBlocked line when blocked, then one line per task (what <c>gitops diff</c> prints).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Plan: ").Append(Summary).Append('\n');
        if (PruneBlocked) sb.Append("PruneBlocked: ").Append(PruneBlockedMessage).Append('\n');
        if (WaitingForWave is not null) sb.Append("WaitingForWave: ").Append(WaitingForWave).Append('\n');
        foreach (var t in Tasks) sb.Append(t).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }
}
