using GitOps.Engine.Plan;

namespace GitOps.Engine.Operation;

/// <summary>What a dependency's status says, as far as its dependents care.</summary>
/// <param name="Reconciled">Its status is about its current spec (observedGeneration is its generation).</param>
/// <param name="Ready">Its Ready condition is True: synced at its current revision and healthy.</param>
/// <param name="Health">Its health (Healthy, Progressing, Degraded, …).</param>
/// <param name="Why">Why it is not Ready (the Ready condition's reason and message), or null.</param>
public sealed record DependencyFacts(bool Reconciled, bool Ready, string Health, string? Why)
{
    public bool Satisfied => Reconciled && Ready && Health == "Healthy";
}

public enum DependencyVerdictKind
{
    Satisfied,
    Waiting,
    Missing,
    Cycle,
}

/// <summary>Whether an Application may sync now, and if not, which dependencies hold it back and why.</summary>
public sealed record DependencyVerdict(DependencyVerdictKind Kind, string Message)
{
    public static DependencyVerdict Satisfied { get; } = new(DependencyVerdictKind.Satisfied, "");
}

/// <summary>
/// The dependsOn decisions: an Application syncs only when each dependency exists, is Ready at its
/// current revision and Healthy; a cycle through it, or a dependency that does not exist, is named.
/// </summary>
public static class Dependencies
{
    /// <summary>How far a cycle is looked for: more Applications than any chain of dependencies should have.</summary>
    public const int MaxWalk = 10_000;

    /// <param name="app">The Application that depends.</param>
    /// <param name="dependsOn">Its dependencies (its spec.dependsOn, namespaces filled in).</param>
    /// <param name="facts">A dependency's facts, or null when it does not exist.</param>
    /// <param name="edges">Any Application's dependencies (to find cycles).</param>
    public static DependencyVerdict Check(AppIdentity app, IReadOnlyList<AppIdentity> dependsOn,
        Func<AppIdentity, DependencyFacts?> facts, Func<AppIdentity, IReadOnlyList<AppIdentity>> edges)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(dependsOn);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(edges);
        if (dependsOn.Count == 0) return DependencyVerdict.Satisfied;
        if (CycleThrough(app, edges) is { } cycle)
            return new(DependencyVerdictKind.Cycle, $"dependsOn makes a cycle: {string.Join(" -> ", cycle)}");
        var known = dependsOn.Distinct().Select(d => (Dependency: d, Facts: facts(d))).ToList();
        var missing = known.Where(k => k.Facts is null).Select(k => k.Dependency.ToString()).ToList();
        if (missing.Count > 0)
            return new(DependencyVerdictKind.Missing, $"dependsOn names Applications that do not exist: {string.Join(", ", missing)}");
        var waiting = known.Where(k => !k.Facts!.Satisfied).Select(k => $"{k.Dependency} ({Describe(k.Facts!)})").ToList();
        return waiting.Count == 0 ? DependencyVerdict.Satisfied
            : new(DependencyVerdictKind.Waiting, $"waiting for {string.Join(", ", waiting)}");
    }

    private static string Describe(DependencyFacts f) =>
        !f.Reconciled ? "its current spec is not reconciled yet"
        : !f.Ready ? $"not Ready{(f.Why is null ? "" : ": " + f.Why)}"
        : $"health {f.Health}";

    /// <summary>The shortest cycle of dependencies that starts and ends at <paramref name="start"/>, or null.</summary>
    public static IReadOnlyList<AppIdentity>? CycleThrough(AppIdentity start, Func<AppIdentity, IReadOnlyList<AppIdentity>> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        // Breadth first, so the cycle reported is a shortest one; each node remembers where it came from.
        var cameFrom = new Dictionary<AppIdentity, AppIdentity>();
        var queue = new Queue<AppIdentity>();
        queue.Enqueue(start);
        while (queue.Count > 0 && cameFrom.Count < MaxWalk)
        {
            var node = queue.Dequeue();
            foreach (var next in edges(node))
            {
                if (next == start)
                {
                    var path = new List<AppIdentity> { start };
                    for (var at = node; at != start; at = cameFrom[at]) path.Insert(1, at);
                    path.Add(start);
                    return path;
                }
                if (cameFrom.TryAdd(next, node)) queue.Enqueue(next);
            }
        }
        return null;
    }
}
