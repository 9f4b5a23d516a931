using GitOps.Engine.Model;
using GitOps.Engine.Operation;
using GitOps.Engine.Plan;
using GitOps.Engine.Policy;
using GitOps.Operator.Applications;
using GitOps.Operator.Apply;
using GitOps.Operator.Compare;
using GitOps.Operator.Health;
using GitOps.Operator.Render;

namespace GitOps.Operator.Status;

/// <summary>A stage that failed: the condition it sets, the reason and the message; <see cref="Stalled"/> when retrying cannot fix it.</summary>
/// <param name="Transient">It may pass by itself (an unreachable repository, an API fault): retried with backoff, not at the interval.</param>
/// <param name="ConditionTrue">The failure's condition reads True (SourceError, RenderError, …) or False (ClusterConnected).</param>
/// <param name="StateUnknown">Neither sync nor health can be known (the destination cluster does not answer): both read Unknown.</param>
public sealed record StageFailure(string Condition, string Reason, string Message, bool Stalled = false, bool Transient = false,
    bool ConditionTrue = true, bool StateUnknown = false);

/// <summary>
/// What one reconcile of one Application found, stage by stage (null where a stage did not run). Each
/// stage's result is added with <c>with</c>; the status is built from it and nothing else.
/// </summary>
public sealed record ReconcileReport(Application App, ApplicationStatus Previous, DateTimeOffset Now)
{
    public StageFailure? Failure { get; init; }
    /// <summary>How the Application's writes are made (as whom, which validation); known once its Project is.</summary>
    public Cluster.WriteOptions Write { get; init; } = Cluster.WriteOptions.Operator;
    public Engine.Policy.Projects.Project? Project { get; init; }
    /// <summary>The cluster the Application deploys to: the operator's own, or a remote one (null before it is resolved).</summary>
    public Cluster.Remote.ClusterRef? Destination { get; init; }
    /// <summary>The remote cluster's address and version once it answered (the ClusterConnected condition); null in the operator's own cluster.</summary>
    public string? ClusterConnection { get; init; }
    public Source.SourceSnapshot? Snapshot { get; init; }
    /// <summary>The built-in health checks with the Application's own rules (spec.healthChecks) over them.</summary>
    public Engine.Health.HealthRegistry HealthRules { get; init; } = Engine.Health.HealthRegistry.Default;
    public bool Suspended { get; init; }
    public string? Revision { get; init; }
    public DesiredState? Desired { get; init; }
    /// <summary>Project bounds and guardrails broken by the rendered objects (null before the check ran).</summary>
    public PolicyReport? Violations { get; init; }
    /// <summary>Why a sync window held back a sync in this reconcile; null when none did.</summary>
    public string? SyncWindowMessage { get; init; }
    /// <summary>Why automated sync held back: the last sync of this revision failed and used up its retries; null when it did not.</summary>
    public string? RetriesExhaustedMessage { get; init; }
    public LiveState? Live { get; init; }
    public SyncPlan? Plan { get; init; }
    public Carry Carry { get; init; }
    /// <summary>The plan was carried out (objects applied or pruned), whatever came of it.</summary>
    public bool SyncAttempted { get; init; }
    public ChangeSet Changes { get; init; } = ChangeSet.Empty;
    /// <summary>The hooks this sync ran (PreSync, Sync, PostSync, SyncFail), each with how it ended.</summary>
    public IReadOnlyList<HookStatus> Hooks { get; init; } = [];
    public Engine.Inventory.Inventory? Inventory { get; init; }
    public HealthReport? Health { get; init; }
    public string? HandledSyncRequest { get; init; }
    public string? HandledRefreshRequest { get; init; }

    /// <summary>Every per-object failure of this reconcile: left out of the render, refused by the comparison, failed to apply or prune.</summary>
    public IReadOnlyDictionary<ResourceKey, string> Errors
    {
        get
        {
            var errors = new Dictionary<ResourceKey, string>();
            foreach (var source in new[] { Desired?.Errors, Live?.Errors, Changes.Errors })
                foreach (var (key, message) in source ?? new Dictionary<ResourceKey, string>()) errors[key] = message;
            return errors;
        }
    }

    /// <summary>The inventory the status recorded before this reconcile.</summary>
    public Engine.Inventory.Inventory PreviousInventory => Engine.Inventory.Inventory.Parse(Previous.InventoryEntries);

    /// <summary>
    /// Live objects carrying this Application's tracking id that neither Git nor the inventory names (a process
    /// died between their apply and the status write): compared and pruned like inventory entries.
    /// </summary>
    public IReadOnlyList<ResourceKey> Untracked { get; init; } = [];

    /// <summary>The inventory with <see cref="Untracked"/>: every object this Application is known to own.</summary>
    public Engine.Inventory.Inventory KnownInventory =>
        Untracked.Count == 0 ? PreviousInventory : Engine.Inventory.Inventory.Of(PreviousInventory.Keys.Concat(Untracked));

    /// <summary>The revision differs from the one the status last recorded as synced.</summary>
    public bool RevisionChanged => Revision is not null && Revision != Previous.Sync?.Revision;

    /// <summary>
    /// Objects self-heal put back to Git in this reconcile: applied over a live object at the revision
    /// already synced, outside a carried-on sync, without an error.
    /// </summary>
    public int HealedObjects
    {
        get
        {
            if (!SyncAttempted || Plan is null || RevisionChanged || Carry.Continuing) return 0;
            var errors = Errors;
            return Plan.Tasks.Count(t => t.Action == SyncAction.Apply && t.Live is not null && !errors.ContainsKey(t.Key));
        }
    }

    /// <summary>What the operation and history decisions (<see cref="SyncOperation"/>) need of this reconcile.</summary>
    public SyncOutcome Outcome => new(Revision, Plan is not null, Failure is not null, SyncAttempted, [.. Errors.Values],
        Plan?.WaitingForWave, Changes.Applied.Count(), Changes.Pruned.Count(), Carry, Hooks);
}
