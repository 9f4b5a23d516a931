namespace GitOps.Operator.Source;

/// <summary>Turns libgit2, git CLI and HTTP failures into <see cref="SourceException"/>s with a reason and a scrubbed message.</summary>
internal static class SourceErrors
{
    public static SourceException Create(SourceFailureReason reason, RepoUrl url, string what, RepoCredentials? credentials, string? cause = null)
    {
        if (reason == SourceFailureReason.CacheUnwritable) what += " (the source cache directory is full or read-only)";
        var text = cause is null ? $"{url.Display}: {what}" : $"{url.Display}: {what}: {cause.Trim()}";
        return new SourceException(reason, UrlRedactor.Redact(UrlRedactor.Redact(text, credentials), url.UrlCredentials));
    }

    /// <summary>Whether a file system error text says the disk is full or read-only (what an operator can fix by freeing or remounting it).</summary>
    public static bool IsCacheUnwritable(string text) =>
        text.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) || text.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)
        || text.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase);

    /// <summary>Classifies an error text from libgit2 or the git CLI (stderr).</summary>
    public static SourceFailureReason Classify(string text, SourceFailureReason fallback)
    {
        static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
        if (IsCacheUnwritable(text)) return SourceFailureReason.CacheUnwritable;
        if (Has(text, "Host key verification failed") || Has(text, "host key") && Has(text, "known")) return SourceFailureReason.HostKeyRejected;
        if (Has(text, "401") || Has(text, "403") || Has(text, "authentication") || Has(text, "Permission denied")
            || Has(text, "could not read Username") || Has(text, "credentials") || Has(text, "Unauthorized"))
        {
            return SourceFailureReason.AuthenticationFailed;
        }

        if (Has(text, "404") || Has(text, "repository not found") || Has(text, "does not appear to be a git repository")
            || Has(text, "not a git repository") || Has(text, "could not find repository") || Has(text, "failed to resolve path"))
        {
            return SourceFailureReason.RepositoryNotFound;
        }

        if (Has(text, "couldn't find remote ref") || Has(text, "no such remote ref") || Has(text, "not our ref"))
        {
            return SourceFailureReason.RevisionNotFound;
        }

        if (Has(text, "failed to connect") || Has(text, "Connection refused") || Has(text, "failed to resolve address")
            || Has(text, "Could not resolve host") || Has(text, "Name or service not known") || Has(text, "No route to host")
            || Has(text, "Network is unreachable") || Has(text, "Connection timed out") || Has(text, "failed to send request")
            || Has(text, "Connection reset") || Has(text, "Connection closed by remote host"))
        {
            return SourceFailureReason.Unreachable;
        }

        return Has(text, "timed out") ? SourceFailureReason.Timeout : fallback;
    }
}
