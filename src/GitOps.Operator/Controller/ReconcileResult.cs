namespace GitOps.Operator.Controller;

/// <summary>What a reconcile asks of the queue: nothing, or to come back after a while.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done { get; } = new((TimeSpan?)null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    public override string ToString() => RequeueAfter is { } d ? $"requeue after {d}" : "done";
}

/// <summary>A failure retrying cannot fix (bad configuration): the object is marked Stalled and not retried.</summary>
public sealed class TerminalReconcileException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
