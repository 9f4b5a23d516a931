namespace GitOps.Operator.Source;

/// <summary>Why the source stage failed; becomes the <c>SourceError</c> condition's reason.</summary>
public enum SourceFailureReason
{
    /// <summary>The spec itself is wrong (bad URL, bad SHA, SSH key without known hosts): retrying will not help.</summary>
    InvalidSpec,
    /// <summary>The credentials Secret is missing or cannot be used (no known keys, an SSH key without knownHosts): fixed by writing the Secret.</summary>
    CredentialsUnusable,
    AuthenticationFailed,
    /// <summary>The SSH server's host key is not in <c>knownHosts</c>.</summary>
    HostKeyRejected,
    RepositoryNotFound,
    RevisionNotFound,
    Unreachable,
    Timeout,
    FetchFailed,
    CheckoutFailed,
    /// <summary>The source cache directory cannot be written (disk full, read-only): retried, as someone may free or remount it.</summary>
    CacheUnwritable,
}

/// <summary>
/// A source failure. The message starts with the (redacted) repository URL and never holds a
/// credential: userinfo is stripped from every URL and every secret value is replaced by <c>***</c>.
/// The underlying library exception is not kept (its text could hold secrets); its scrubbed message
/// is part of <see cref="Exception.Message"/>.
/// </summary>
public sealed class SourceException : Exception
{
    public SourceException(SourceFailureReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public SourceFailureReason Reason { get; }

    /// <summary>True for failures a retry with backoff may fix (network, timeouts, fetch errors, a full or read-only cache).</summary>
    public bool IsTransient => Reason is SourceFailureReason.Unreachable or SourceFailureReason.Timeout or SourceFailureReason.FetchFailed or SourceFailureReason.CacheUnwritable;

    public override string ToString() => $"{nameof(SourceException)} ({Reason}): {Message}";
}
