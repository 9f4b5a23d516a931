namespace GitOps.Operator.Controller;

/// <summary>What a reconcile asks of the queue: nothing, to come back after a while, or to retry with backoff after an error.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter, string? Error = null)
{
    public static ReconcileResult Done { get; } = new((TimeSpan?)null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    /// <summary>A failure that may pass (an API fault, an unreachable repository): retried with the queue's rate-limited backoff.</summary>
    public static ReconcileResult Failed(string error) => new(null, error);

    public override string ToString() => Error is not null ? $"retry: {Error}" : RequeueAfter is { } d ? $"requeue after {d}" : "done";
}
