using System.Text.RegularExpressions;

namespace GitOps.Operator.Notifications;

/// <summary>The <c>owner/repo</c> (GitLab: <c>group/subgroup/project</c>) of a repository URL, as forge APIs name it.</summary>
public static partial class RepositoryPath
{
    /// <summary>The path of https://host/owner/repo(.git), ssh://git@host/owner/repo.git or git@host:owner/repo.git; null when there is none.</summary>
    public static string? FromRepoUrl(string repoUrl)
    {
        if (string.IsNullOrWhiteSpace(repoUrl)) return null;
        string path;
        if (Uri.TryCreate(repoUrl.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" or "git")
            path = Uri.UnescapeDataString(uri.AbsolutePath);
        else if (ScpLike().Match(repoUrl.Trim()) is { Success: true } scp)
            path = scp.Groups["path"].Value;
        else return null;
        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        return path.Contains('/', StringComparison.Ordinal) ? path : null;
    }

    [GeneratedRegex(@"^[^@/]+@[^:/]+:(?<path>.+)$")]
    private static partial Regex ScpLike();
}
