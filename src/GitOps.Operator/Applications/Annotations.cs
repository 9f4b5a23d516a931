namespace GitOps.Operator.Applications;

/// <summary>Every label and annotation the operator reads or writes.</summary>
public static class Annotations
{
    public const string ManagedByLabel = "gitops.dev/managed-by";
    public const string ManagedByValue = "gitops-operator";
    public const string TrackingId = "gitops.dev/tracking-id";
    public const string Prune = "gitops.dev/prune";
    public const string SyncWave = "gitops.dev/sync-wave";
    /// <summary>Per-object sync options, comma-separated (as Argo CD's): <c>Force=true</c> re-creates the object when an update hits an immutable field.</summary>
    public const string SyncOptions = "gitops.dev/sync-options";
    public const string DriftHold = "gitops.dev/drift-hold";
    public const string DriftHoldUntil = "gitops.dev/drift-hold-until";
    public const string SyncRequestedAt = "gitops.dev/sync-requested-at";
    public const string RefreshRequestedAt = "gitops.dev/refresh-requested-at";
    public const string RollbackTo = "gitops.dev/rollback-to";
    public const string CascadeFinalizer = "gitops.dev/cascade";
    public const string FieldManager = "gitops-operator";
}
