namespace GitOps.Engine.Plan;

/// <summary>The reason codes a <see cref="SyncTask"/> carries; each maps to one explanation users see.</summary>
public static class PlanReasons
{
    public const string Synced = "Synced";
    public const string Missing = "Missing";
    public const string Modified = "Modified";
    public const string OutOfSync = "OutOfSync";
    public const string NotCompared = "NotCompared";
    public const string SharedResource = "SharedResource";
    public const string DriftHeld = "DriftHeld";
    public const string Pruned = "Pruned";
    public const string PruneDisabled = "PruneDisabled";
    public const string PruneBlocked = "PruneBlocked";
    public const string EmptyRender = "EmptyRender";
    public const string NotOwned = "NotOwned";
    /// <summary>An apply or prune deferred until the waves before it are applied and healthy.</summary>
    public const string WaitingForWave = "WaitingForWave";
}
