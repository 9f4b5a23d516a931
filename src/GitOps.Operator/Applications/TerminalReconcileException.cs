namespace GitOps.Operator.Applications;

/// <summary>
/// A failure retrying cannot fix (bad configuration in the spec): the Application is marked Stalled
/// with this condition, reason and message, and not retried until its spec changes.
/// </summary>
public sealed class TerminalReconcileException(string condition, string reason, string message) : Exception(message)
{
    public string Condition { get; } = condition;
    public string Reason { get; } = reason;
}
