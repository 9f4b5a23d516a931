namespace GitOps.Engine.Plan;

/// <summary>The phases of a sync, in order. Objects from Git are in <see cref="Sync"/> unless annotated <c>gitops.dev/sync-phase</c>.</summary>
public enum SyncPhase
{
    PreSync = 0,
    Sync = 1,
    PostSync = 2,
}

/// <summary>What a task does to its object.</summary>
public enum SyncAction
{
    /// <summary>Server-side apply the desired object.</summary>
    Apply,

    /// <summary>Delete the live object.</summary>
    Prune,

    /// <summary>Leave the object alone (in sync, owned by someone else, or not allowed by policy); the reason says which.</summary>
    Skip,

    /// <summary>Leave the object alone because of a drift hold.</summary>
    Hold,
}
