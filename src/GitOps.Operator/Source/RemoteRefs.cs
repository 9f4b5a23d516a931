using System.Text.RegularExpressions;

namespace GitOps.Operator.Source;

/// <summary>
/// A remote's advertised references (what <c>git ls-remote</c> prints): full ref name → object id,
/// including peeled tag entries (<c>refs/tags/v1^{}</c>) when the server sends them, and the
/// target of the remote's <c>HEAD</c> when it is a symbolic ref.
/// </summary>
internal sealed partial record RemoteRefs(IReadOnlyDictionary<string, string> Refs, string? HeadTarget)
{
    public static bool IsFullSha(string? revision) => revision is not null && FullSha().IsMatch(revision);

    /// <summary>
    /// <c>HEAD</c>/empty → the remote's HEAD; <c>refs/...</c> → that ref; otherwise a branch
    /// (<c>refs/heads/x</c>), then a tag (<c>refs/tags/x</c>, peeled to the commit when advertised).
    /// Null when nothing matches.
    /// </summary>
    public string? Resolve(string? revision)
    {
        var rev = revision?.Trim() ?? string.Empty;
        if (rev.Length == 0 || rev == "HEAD")
        {
            if (Refs.TryGetValue("HEAD", out var head)) return head;
            return HeadTarget is not null && Refs.TryGetValue(HeadTarget, out var target) ? target : null;
        }

        string[] candidates = rev.StartsWith("refs/", StringComparison.Ordinal)
            ? [rev + "^{}", rev]
            : [$"refs/heads/{rev}", $"refs/tags/{rev}^{{}}", $"refs/tags/{rev}"];
        foreach (var name in candidates)
        {
            if (Refs.TryGetValue(name, out var sha)) return sha;
        }

        return null;
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex FullSha();
}
