using System.Text.Json.Nodes;

namespace GitOps.Operator.Notifications;

/// <summary>
/// A commit status on the commit that was deployed, named <c>gitops/&lt;app&gt;</c>: synced is success
/// when the Application is Healthy, pending while its rollout goes on (then healthy makes it success);
/// sync-failed and health-degraded are failure. Other events, and an event without a full commit SHA,
/// make no commit status (<see cref="Build"/> returns null).
/// <list type="bullet">
/// <item>GitHub: <c>POST {apiUrl}/repos/{owner}/{repo}/statuses/{sha}</c>, <c>Authorization: Bearer</c>, state success|failure|pending.</item>
/// <item>GitLab: <c>POST {apiUrl}/projects/{url-encoded path}/statuses/{sha}</c>, <c>PRIVATE-TOKEN</c>, state success|failed|running.</item>
/// <item>Gitea: <c>POST {apiUrl}/repos/{owner}/{repo}/statuses/{sha}</c>, <c>Authorization: token</c>, as GitHub.</item>
/// </list>
/// </summary>
public static class CommitStatusMessage
{
    public static Uri GitHubApi { get; } = new("https://api.github.com");
    public static Uri GitLabApi { get; } = new("https://gitlab.com/api/v4");
    private const int DescriptionLimit = 140;

    /// <summary>The status context (GitHub, Gitea) or name (GitLab) of an Application.</summary>
    public static string Context(NotificationEvent e) => $"gitops/{e.AppName}";

    /// <summary>The commit state of an event in GitHub's words; null when the event makes no commit status.</summary>
    public static string? State(NotificationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind switch
        {
            NotificationEventKind.Synced => e.HealthStatus switch { "Healthy" => "success", "Degraded" => "failure", _ => "pending" },
            NotificationEventKind.Healthy => "success",
            NotificationEventKind.SyncFailed or NotificationEventKind.HealthDegraded => "failure",
            _ => null,
        };
    }

    public static NotificationRequest? Build(NotificationTarget target, NotificationEvent e, string token)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(e);
        if (State(e) is not { } state || !IsCommitSha(e.Revision)) return null;
        var repository = target.Repository ?? RepositoryPath.FromRepoUrl(e.RepoUrl);
        if (repository is null) return null;
        var description = Describe(e);
        var sha = e.Revision.ToLowerInvariant();
        return target.Type switch
        {
            NotificationTargetType.GitHub => new NotificationRequest(
                Under(target.ApiUrl ?? GitHubApi, $"repos/{EscapePath(repository)}/statuses/{sha}"),
                new JsonObject { ["state"] = state, ["context"] = Context(e), ["description"] = description }.ToJsonString(),
                [new("Authorization", $"Bearer {token}"), new("Accept", "application/vnd.github+json"), new("X-GitHub-Api-Version", "2022-11-28")]),
            NotificationTargetType.Gitea => new NotificationRequest(
                Under(target.ApiUrl!, $"repos/{EscapePath(repository)}/statuses/{sha}"),
                new JsonObject { ["state"] = state, ["context"] = Context(e), ["description"] = description }.ToJsonString(),
                [new("Authorization", $"token {token}")]),
            NotificationTargetType.GitLab => new NotificationRequest(
                Under(target.ApiUrl ?? GitLabApi, $"projects/{Uri.EscapeDataString(repository)}/statuses/{sha}"),
                new JsonObject { ["state"] = state switch { "failure" => "failed", "pending" => "running", _ => state }, ["name"] = Context(e), ["description"] = description }.ToJsonString(),
                [new("PRIVATE-TOKEN", token)]),
            _ => null,
        };
    }

    public static bool IsCommitSha(string revision) =>
        revision.Length is 40 or 64 && revision.All(Uri.IsHexDigit);

    private static string Describe(NotificationEvent e)
    {
        var text = $"{e.Name}: {e.Message}";
        return text.Length <= DescriptionLimit ? text : text[..(DescriptionLimit - 1)] + "…";
    }

    private static string EscapePath(string repository) => string.Join('/', repository.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A path below the API URL, whether or not it ends in a slash (https://host/api/v3 + repos/… keeps /api/v3).</summary>
    private static Uri Under(Uri api, string relative) => new(api.AbsoluteUri.TrimEnd('/') + "/" + relative);
}
