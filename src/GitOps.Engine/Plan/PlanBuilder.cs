using GitOps.Engine.Diff;
using GitOps.Engine.Drift;
using GitOps.Engine.Model;

namespace GitOps.Engine.Plan;

/// <summary>
/// Builds a <see cref="SyncPlan"/> from desired objects, live facts, the previous inventory and the
/// policy. A pure function. Rules, in the order they are checked:
/// <list type="number">
/// <item>A desired object whose live tracking id names another Application → Skip (SharedResource). A
///   live object without a tracking id is adopted.</item>
/// <item>Otherwise the drift decision (given, or <see cref="DriftPolicy.Decide"/>): InSync → Skip
///   (Synced), Heal → Apply (Missing/Modified), Hold → Hold (DriftHeld), Report → Skip (OutOfSync).</item>
/// <item>Prune candidates are keys in the previous inventory and not desired, that still exist and
///   whose tracking id is still this Application's (else Skip NotOwned), without
///   <c>gitops.dev/prune: "false"</c> (else Skip PruneDisabled). An empty desired set prunes nothing
///   unless allowEmpty (Skip EmptyRender). Pruning needs <c>prune</c> and automated or a manual sync.</item>
/// <item>An automated sync (not requested by hand) that would prune more than pruneLimit (default 50%
///   of the previous inventory) is PruneBlocked: its prunes become Skip (PruneBlocked).</item>
/// <item>Prunes run after the applies of their wave; with PruneLast, after every wave.</item>
/// <item>A wave waits until the waves before it are applied and healthy (<see cref="WaveGate"/>).</item>
/// </list>
/// </summary>
public static class PlanBuilder
{
    public static SyncPlan Build(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var policy = input.Policy;
        var limit = PruneLimit.Parse(policy.PruneLimit);
        var ourApp = input.App.ToString();
        var tasks = new List<SyncTask>();
        var desiredKeys = new HashSet<ResourceKey>();

        foreach (var m in input.Desired)
        {
            desiredKeys.Add(m.Key);
            var live = input.Live.GetValueOrDefault(m.Key) ?? LiveInfo.Absent;
            var wave = Waves.Of(m, out var waveError);
            var phase = Waves.PhaseOf(m);
            SyncTask Task(SyncAction action, string reason, string message) =>
                new(m.Key, action, reason, waveError is null ? message : $"{message} ({waveError})", wave, phase, m, live.Object);

            if (live.Exists && live.TrackingId is { } tid && AppIdentity.AppOf(tid) is { } owner && owner != ourApp)
            {
                tasks.Add(Task(SyncAction.Skip, PlanReasons.SharedResource, $"tracked by Application {owner}"));
                continue;
            }

            var drift = live.Drift ?? DecideDrift(input, live);
            tasks.Add(drift switch
            {
                null => Task(SyncAction.Skip, PlanReasons.NotCompared, "no comparison with the live object"),
                { Action: DriftAction.InSync } => Task(SyncAction.Skip, PlanReasons.Synced, ""),
                { Action: DriftAction.Heal } => Task(SyncAction.Apply, live.Exists ? PlanReasons.Modified : PlanReasons.Missing, Describe(live.Diff, drift)),
                { Action: DriftAction.Hold } => Task(SyncAction.Hold, PlanReasons.DriftHeld, drift.ToString()),
                _ => Task(SyncAction.Skip, PlanReasons.OutOfSync, Describe(live.Diff, drift)),
            });
        }

        var (pruneTasks, blocked, blockedMessage) = PlanPrunes(input, desiredKeys, limit, ourApp);
        tasks.AddRange(pruneTasks);

        var sorted = SyncTaskOrder.SortWithDependencies(tasks);
        var (waves, waiting) = WaveGate.Apply(sorted
            .GroupBy(t => (t.Phase, t.Wave))
            .Select(g => new SyncWave(g.Key.Phase, g.Key.Wave, g.ToArray()))
            .ToArray(), input.Health);
        var all = waves.SelectMany(w => w.Tasks).ToList();
        var summary = new PlanSummary(
            all.Count(t => t.Action == SyncAction.Apply),
            all.Count(t => t.Action == SyncAction.Prune),
            all.Count(t => t.Action == SyncAction.Skip),
            all.Count(t => t.Action == SyncAction.Hold));
        return new SyncPlan(waves, blocked, blockedMessage, summary) { WaitingForWave = waiting };
    }

    private static DriftDecision? DecideDrift(PlanInput input, LiveInfo live)
    {
        var diff = live.Exists ? live.Diff : live.Diff ?? new DiffResult(true, [""], null, null, DiffResult.MissingReason);
        if (diff is null) return null;
        return DriftPolicy.Decide(new DriftInput(diff, live.Object, input.Policy.Automated, input.Policy.SelfHeal,
            input.RevisionChanged, input.Policy.ManualSyncRequested, input.Now));
    }

    private static string Describe(DiffResult? diff, DriftDecision drift) =>
        diff is { Reason: DiffResult.ModifiedReason } ? $"{string.Join(", ", diff.ChangedPaths)}; {drift.Reason}" : drift.Reason;

    private static (List<SyncTask> Tasks, bool Blocked, string? Message) PlanPrunes(PlanInput input, HashSet<ResourceKey> desiredKeys, PruneLimit limit, string ourApp)
    {
        var policy = input.Policy;
        var tasks = new List<SyncTask>();
        var allowed = policy.Prune && (policy.Automated || policy.ManualSyncRequested);
        var emptyRender = desiredKeys.Count == 0 && !policy.AllowEmpty;

        foreach (var key in Inventory.Inventory.Diff(input.PreviousInventory, Inventory.Inventory.Of(desiredKeys)))
        {
            var live = input.Live.GetValueOrDefault(key) ?? LiveInfo.Absent;
            if (!live.Exists) continue; // already gone: nothing to do, and it leaves the inventory.
            var wave = policy.PruneLast ? Waves.PruneLastWave : Waves.Of(live.Object);
            SyncTask Task(SyncAction action, string reason, string message) => new(key, action, reason, message, wave, SyncPhase.Sync, null, live.Object);

            var owner = live.TrackingId is null ? null : AppIdentity.AppOf(live.TrackingId);
            if (owner != ourApp)
            {
                tasks.Add(Task(SyncAction.Skip, PlanReasons.NotOwned, owner is null ? "no tracking id: a person owns it now" : $"tracked by Application {owner}"));
            }
            else if (string.Equals(live.PruneAnnotation, "false", StringComparison.OrdinalIgnoreCase))
            {
                tasks.Add(Task(SyncAction.Skip, PlanReasons.PruneDisabled, $"{LiveInfo.PruneAnnotationName}: \"false\""));
            }
            else if (emptyRender)
            {
                tasks.Add(Task(SyncAction.Skip, PlanReasons.EmptyRender, "the source rendered no objects and allowEmpty is off"));
            }
            else if (!allowed)
            {
                tasks.Add(Task(SyncAction.Skip, PlanReasons.OutOfSync, policy.Prune ? "not in the source; manual sync only" : "not in the source; prune is off"));
            }
            else
            {
                tasks.Add(Task(SyncAction.Prune, PlanReasons.Pruned, "not in the source"));
            }
        }

        var count = tasks.Count(t => t.Action == SyncAction.Prune);
        var inventorySize = input.PreviousInventory.Count;
        if (count == 0 || policy.ManualSyncRequested || !policy.Automated || !limit.IsExceeded(count, inventorySize))
        {
            return (tasks, false, null);
        }

        var message = $"an automated sync would prune {count} of {inventorySize} objects, over the limit of {limit}; sync by hand to go ahead";
        var blocked = tasks.Select(t => t.Action == SyncAction.Prune ? t with { Action = SyncAction.Skip, Reason = PlanReasons.PruneBlocked, Message = message } : t).ToList();
        return (blocked, true, message);
    }
}
