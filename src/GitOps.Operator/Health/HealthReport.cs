using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Operator.Apply;

namespace GitOps.Operator.Health;

/// <summary>Stage 7: the health of every desired object (as it is after the sync) and of the Application, the worst of them.</summary>
public sealed record HealthReport(IReadOnlyDictionary<ResourceKey, HealthStatus?> Resources, HealthStatus Overall)
{
    /// <summary>
    /// Assesses each desired object of the plan that is ours (not a shared one): the object the apply
    /// returned, else the live one; a missing object is Missing. No object: Healthy.
    /// </summary>
    public static HealthReport Assess(SyncPlan plan, ChangeSet changes, HealthRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(registry);
        var after = changes.LiveAfter;
        var resources = new Dictionary<ResourceKey, HealthStatus?>();
        foreach (var task in plan.Tasks.Where(t => t.Desired is not null && t.Reason != PlanReasons.SharedResource))
        {
            var obj = after.GetValueOrDefault(task.Key) ?? task.Live;
            resources[task.Key] = obj is null ? new HealthStatus(HealthCode.Missing, $"{task.Key} does not exist") : registry.Assess(obj);
        }
        return new HealthReport(resources, HealthStatus.Worst(resources.Values) ?? HealthStatus.Healthy());
    }
}
