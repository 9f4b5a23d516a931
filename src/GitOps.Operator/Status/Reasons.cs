namespace GitOps.Operator.Status;

/// <summary>Condition types and the reason each reconcile stage reports when it fails (one per stage).</summary>
public static class Reasons
{
    // Condition types.
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";
    public const string SourceError = "SourceError";
    public const string RenderError = "RenderError";
    public const string SyncError = "SyncError";
    public const string Drifted = "Drifted";
    public const string DriftHeld = "DriftHeld";
    public const string PruneBlocked = "PruneBlocked";
    public const string SharedResource = "SharedResource";
    /// <summary>The Application or its objects break a rule of its Project (bounds or guardrails).</summary>
    public const string PolicyViolation = "PolicyViolation";
    /// <summary>spec.dependsOn names a missing Application or makes a cycle.</summary>
    public const string DependencyError = "DependencyError";
    /// <summary>A sync window of the Project holds back automated (or manual) syncs now.</summary>
    public const string SyncWindowClosed = "SyncWindowClosed";
    /// <summary>The destination cluster (another than the operator's own) answers: True with its address and version, or False with why not.</summary>
    public const string ClusterConnected = "ClusterConnected";

    // Stage failure reasons.
    public const string SourceFailed = "SourceFailed";
    public const string RenderFailed = "RenderFailed";
    public const string CompareFailed = "CompareFailed";
    public const string ApplyFailed = "ApplyFailed";
    public const string PruneFailed = "PruneFailed";
    public const string InvalidSpec = "InvalidSpec";
    /// <summary>A rule of spec.healthChecks is incomplete or its CEL does not compile.</summary>
    public const string HealthCheckInvalid = "HealthCheckInvalid";
    public const string ProjectInvalid = "ProjectInvalid";
    public const string ProjectDenied = "ProjectDenied";
    public const string GuardrailBlocked = "GuardrailBlocked";
    public const string DependencyNotReady = "DependencyNotReady";
    /// <summary>The last sync of this revision failed and used up its retries: automated sync waits.</summary>
    public const string RetriesExhausted = "RetriesExhausted";
    public const string DependencyMissing = "DependencyMissing";
    public const string DependencyCycle = "DependencyCycle";
    /// <summary>A failure outside the stages' own handling: an API refusal or a fault.</summary>
    public const string ReconcileFailed = "ReconcileFailed";

    /// <summary>The destination cluster answers (ClusterConnected True).</summary>
    public const string Connected = "Connected";

    // Outcomes.
    public const string Synced = "Synced";
    public const string OutOfSync = "OutOfSync";
    public const string Suspended = "Suspended";
    public const string Progressing = "Progressing";
    public const string Succeeded = "ReconciliationSucceeded";
    /// <summary>The source rendered no object at all (a wrong path or include pattern, most often).</summary>
    public const string EmptyRender = "EmptyRender";
}
