namespace GitOps.Operator.Webhooks;

/// <summary>Whether a push of some refs concerns an Application that tracks a targetRevision.</summary>
public static class RevisionMatcher
{
    /// <summary>
    /// A push of <c>refs/heads/main</c> matches targetRevision <c>main</c> or <c>refs/heads/main</c>;
    /// a tag push matches the tag; an empty or <c>HEAD</c> targetRevision matches a push to the
    /// default branch (any branch when the provider does not say which is the default); a commit
    /// SHA never moves, so it matches nothing. No refs in the event means any ref.
    /// </summary>
    public static bool Matches(string? targetRevision, IReadOnlyList<string> pushedRefs, string? defaultBranch)
    {
        if (pushedRefs.Count == 0) return true;
        var target = string.IsNullOrWhiteSpace(targetRevision) ? "HEAD" : targetRevision.Trim();
        if (target == "HEAD")
            return defaultBranch is null
                ? pushedRefs.Any(r => !r.StartsWith("refs/tags/", StringComparison.Ordinal))
                : pushedRefs.Any(r => ShortName(r) == defaultBranch);
        if (IsCommitSha(target)) return false;
        return pushedRefs.Any(r => r == target || ShortName(r) == ShortName(target));
    }

    private static string ShortName(string reference) =>
        reference.StartsWith("refs/heads/", StringComparison.Ordinal) ? reference["refs/heads/".Length..]
        : reference.StartsWith("refs/tags/", StringComparison.Ordinal) ? reference["refs/tags/".Length..]
        : reference;

    private static bool IsCommitSha(string s) => s.Length is 40 or 64 && s.All(Uri.IsHexDigit);
}
