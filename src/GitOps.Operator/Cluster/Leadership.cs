namespace GitOps.Operator.Cluster;

/// <summary>
/// Whether this replica leads now, and a signal when it starts to: what only the leader writes (a
/// Notification's status) waits for it, so a standby and the leader never both write (during a rolling
/// upgrade they may not even agree on what).
/// </summary>
public sealed class Leadership
{
    private volatile bool _leading;

    public bool IsLeading => _leading;

    /// <summary>Raised after <see cref="IsLeading"/> turns true.</summary>
    public event Action? Started;

    internal void Set(bool leading)
    {
        var was = _leading;
        _leading = leading;
        if (leading && !was) Started?.Invoke();
    }
}
