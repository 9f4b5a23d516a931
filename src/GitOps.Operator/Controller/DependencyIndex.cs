using System.Text.Json.Nodes;
using GitOps.Engine.Plan;
using GitOps.Operator.Applications;
using GitOps.Operator.Status;

namespace GitOps.Operator.Controller;

/// <summary>
/// Which Applications depend on which (spec.dependsOn), kept from the Application informer's events, so
/// that a dependency whose readiness changes wakes its dependents at once. Status-only changes are
/// otherwise dropped before the queue (<see cref="ApplicationChange"/>); this is the one exception.
/// </summary>
public sealed class DependencyIndex
{
    private readonly Dictionary<AppIdentity, IReadOnlyList<AppIdentity>> _dependsOn = [];
    private readonly Dictionary<AppIdentity, HashSet<AppIdentity>> _dependents = [];

    /// <summary>Records an Application's dependencies as the event shows them (none once it is deleted).</summary>
    public void Track(AppIdentity app, IReadOnlyList<AppIdentity> dependsOn)
    {
        lock (_dependents)
        {
            if (_dependsOn.TryGetValue(app, out var before))
                foreach (var d in before)
                    if (_dependents.TryGetValue(d, out var set) && set.Remove(app) && set.Count == 0) _dependents.Remove(d);
            if (dependsOn.Count == 0)
            {
                _dependsOn.Remove(app);
                return;
            }
            _dependsOn[app] = dependsOn;
            foreach (var d in dependsOn)
            {
                if (!_dependents.TryGetValue(d, out var set)) _dependents[d] = set = [];
                set.Add(app);
            }
        }
    }

    public IReadOnlyList<AppIdentity> DependentsOf(AppIdentity app)
    {
        lock (_dependents) return _dependents.TryGetValue(app, out var set) ? [.. set] : [];
    }

    /// <summary>
    /// The dependents to wake for an event of <paramref name="app"/>: when it appears or goes, or when what
    /// its dependents look at changed (Ready, health, observedGeneration against generation).
    /// </summary>
    public IReadOnlyList<AppIdentity> ToWake(AppIdentity app, JsonObject? now, JsonObject? before)
    {
        var dependents = DependentsOf(app);
        if (dependents.Count == 0) return [];
        return now is null || before is null || Readiness(now) != Readiness(before) ? dependents : [];
    }

    private static (string? Ready, string? Health, bool Reconciled) Readiness(JsonObject app)
    {
        var status = ApplicationStatus.Of(app);
        return (status.Find(Reasons.Ready)?.Status, status.Health?.Status, status.ObservedGeneration == ((long?)app["metadata"]?["generation"] ?? 0));
    }
}
