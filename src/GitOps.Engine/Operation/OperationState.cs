namespace GitOps.Engine.Operation;

/// <summary>
/// status.operationState: the last sync operation. Running while later waves wait for earlier ones;
/// Succeeded or Failed when it ended. An operation later reconciles carry on (waiting waves, a retry)
/// keeps its <see cref="SyncRevision"/> and whether a person asked for it (<see cref="Manual"/>).
/// </summary>
public sealed record OperationState
{
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static OperationState None { get; } = new();

    public string? Phase { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int? RetryCount { get; init; }
    public string? SyncRevision { get; init; }
    public bool? Manual { get; init; }
    /// <summary>The hooks the operation ran, each with how it ended.</summary>
    public IReadOnlyList<HookStatus>? Hooks { get; init; }
}

/// <summary>One hook an operation ran: its kind (PreSync, Sync, PostSync, SyncFail), the object, how it ended and why.</summary>
public sealed record HookStatus(string Kind, string Object, string Phase, string Message);

/// <summary>One entry of status.history: a revision that was deployed, and when; <see cref="Message"/> is its commit's subject line when known.</summary>
public sealed record HistoryEntry(long Id, string Revision, DateTimeOffset DeployedAt)
{
    public string? Message { get; init; }
}
