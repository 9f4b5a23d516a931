using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using Microsoft.AspNetCore.Http;

namespace GitOps.Operator.Webhooks;

/// <summary>
/// Tells the provider from the headers and reads a delivery into a <see cref="PushEvent"/>.
/// Payloads are read as each provider documents them: GitHub and Gitea <c>ref</c> and
/// <c>repository.{clone_url,ssh_url,html_url}</c>; GitLab <c>ref</c> and
/// <c>project.{git_http_url,git_ssh_url,web_url}</c>; Bitbucket Cloud
/// <c>push.changes[].new.{type,name}</c> and <c>repository.links.html.href</c>; generic
/// <c>{"repoURL": ..., "revision": ...}</c>.
/// </summary>
public static class WebhookParsers
{
    /// <summary>The provider a delivery comes from; null when no known header is present.</summary>
    public static WebhookProvider? Detect(IHeaderDictionary headers)
    {
        // Gitea and Forgejo also send X-GitHub-Event for compatibility, so they are checked first.
        if (headers.ContainsKey("X-Gitea-Event") || headers.ContainsKey("X-Forgejo-Event") || headers.ContainsKey("X-Gogs-Event")) return WebhookProvider.Gitea;
        if (headers.ContainsKey("X-GitHub-Event")) return WebhookProvider.GitHub;
        if (headers.ContainsKey("X-Gitlab-Event")) return WebhookProvider.GitLab;
        if (headers.ContainsKey("X-Event-Key")) return WebhookProvider.Bitbucket;
        if (headers.ContainsKey(WebhookSignatures.GenericHeader)) return WebhookProvider.Generic;
        return null;
    }

    public static PushEvent Parse(WebhookProvider provider, IHeaderDictionary headers, string? contentType, byte[] body)
    {
        try
        {
            return ParseBody(provider, headers, contentType, body);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // A field of another type than the provider documents (an object where a string should be, ...).
            throw new WebhookFormatException($"the payload does not have the {provider} shape: {e.Message}");
        }
    }

    private static PushEvent ParseBody(WebhookProvider provider, IHeaderDictionary headers, string? contentType, byte[] body) => provider switch
    {
        WebhookProvider.GitHub => GitHubLike(provider, Event(headers, "X-GitHub-Event"), Json(contentType, body)),
        WebhookProvider.Gitea => GitHubLike(provider, Event(headers, "X-Gitea-Event") ?? Event(headers, "X-Forgejo-Event") ?? Event(headers, "X-Gogs-Event"), Json(contentType, body)),
        WebhookProvider.GitLab => GitLab(Event(headers, "X-Gitlab-Event"), Json(contentType, body)),
        WebhookProvider.Bitbucket => Bitbucket(Event(headers, "X-Event-Key"), Json(contentType, body)),
        WebhookProvider.Generic => Generic(Json(contentType, body)),
        _ => throw new WebhookFormatException("unknown provider"),
    };

    private static PushEvent GitHubLike(WebhookProvider provider, string? kind, JsonObject body)
    {
        if (kind == "ping") return PushEvent.Ping(provider);
        if (kind != "push") return PushEvent.Ignored(provider);
        var repo = body["repository"] as JsonObject ?? throw new WebhookFormatException("push payload without repository");
        var urls = Strings(repo, "clone_url", "ssh_url", "html_url", "git_url", "url");
        var reference = Str(body, "ref") ?? throw new WebhookFormatException("push payload without ref");
        return new PushEvent(provider, PushEventKind.Push, Require(urls), [reference], Str(repo, "default_branch"))
        {
            ChangedFiles = ChangedFiles(body["commits"] as JsonArray, GitHubMaxCommits),
        };
    }

    private static PushEvent GitLab(string? kind, JsonObject body)
    {
        var objectKind = Str(body, "object_kind");
        if (kind is not ("Push Hook" or "Tag Push Hook" or "System Hook") || objectKind is not ("push" or "tag_push"))
            return PushEvent.Ignored(WebhookProvider.GitLab);
        var project = body["project"] as JsonObject;
        var repository = body["repository"] as JsonObject;
        var urls = Strings(project, "git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url")
            .Concat(Strings(repository, "git_http_url", "git_ssh_url", "homepage", "url")).Distinct().ToList();
        var reference = Str(body, "ref") ?? throw new WebhookFormatException("push payload without ref");
        var commits = body["commits"] as JsonArray;
        var complete = body["total_commits_count"] is not JsonValue total || !total.TryGetValue<int>(out var count) || count <= (commits?.Count ?? 0);
        return new PushEvent(WebhookProvider.GitLab, PushEventKind.Push, Require(urls), [reference], Str(project, "default_branch"))
        {
            ChangedFiles = complete ? ChangedFiles(commits, int.MaxValue) : null,
        };
    }

    private static PushEvent Bitbucket(string? kind, JsonObject body)
    {
        if (kind == "diagnostics:ping") return PushEvent.Ping(WebhookProvider.Bitbucket);
        if (kind != "repo:push") return PushEvent.Ignored(WebhookProvider.Bitbucket);
        var repo = body["repository"] as JsonObject ?? throw new WebhookFormatException("repo:push payload without repository");
        var urls = new List<string>();
        if ((string?)repo["links"]?["html"]?["href"] is { Length: > 0 } html) urls.Add(html);
        if (Str(repo, "full_name") is { Length: > 0 } fullName) urls.Add($"https://bitbucket.org/{fullName}");
        var changes = body["push"]?["changes"] as JsonArray ?? throw new WebhookFormatException("repo:push payload without push.changes");
        var refs = new List<string>();
        foreach (var change in changes)
        {
            var target = change?["new"] ?? change?["old"];
            if (target is null) continue;
            var name = (string?)target["name"];
            if (string.IsNullOrEmpty(name)) continue;
            refs.Add(((string?)target["type"]) switch
            {
                "tag" or "annotated_tag" => "refs/tags/" + name,
                _ => "refs/heads/" + name,
            });
        }
        if (refs.Count == 0) throw new WebhookFormatException("repo:push payload names no branch or tag");
        return new PushEvent(WebhookProvider.Bitbucket, PushEventKind.Push, Require(urls), refs);
    }

    private static PushEvent Generic(JsonObject body)
    {
        var url = Str(body, "repoURL") ?? throw new WebhookFormatException("generic payload without repoURL");
        var revision = Str(body, "revision");
        return new PushEvent(WebhookProvider.Generic, PushEventKind.Push, [url], revision is { Length: > 0 } r ? [r] : []);
    }

    /// <summary>GitHub lists at most this many commits of a push; a push of more may have changed files not listed.</summary>
    private const int GitHubMaxCommits = 2048;

    /// <summary>GitHub lists at most this many changed files of one commit; a commit listing as many may have changed more.</summary>
    private const int MaxFilesPerCommit = 3000;

    /// <summary>
    /// The union of <c>commits[].added/modified/removed</c>; null when there is no commit list, when a
    /// commit has no file lists, or when a list may have been cut (<paramref name="maxCommits"/> commits, or
    /// <see cref="MaxFilesPerCommit"/> files in one commit).
    /// </summary>
    private static HashSet<string>? ChangedFiles(JsonArray? commits, int maxCommits)
    {
        if (commits is null || commits.Count >= maxCommits) return null;
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits)
        {
            var lists = new[] { "added", "modified", "removed" }.Select(k => commit?[k] as JsonArray).ToList();
            if (lists.Any(l => l is null) || lists.Sum(l => l!.Count) >= MaxFilesPerCommit) return null;
            foreach (var path in lists.SelectMany(l => l!).OfType<JsonValue>())
                if (path.TryGetValue<string>(out var p) && p.Length > 0) files.Add(p);
        }
        return files;
    }

    /// <summary>The JSON body; GitHub may also send it form-encoded as <c>payload=...</c>.</summary>
    private static JsonObject Json(string? contentType, byte[] body)
    {
        try
        {
            if (contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
                if (!form.TryGetValue("payload", out var payload) || payload.Count == 0) throw new WebhookFormatException("form body without payload");
                return StrictJson.Parse(payload[0]!) as JsonObject ?? throw new WebhookFormatException("payload is not a JSON object");
            }
            return StrictJson.Parse(body) as JsonObject ?? throw new WebhookFormatException("body is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new WebhookFormatException($"body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            throw new WebhookFormatException("body has an unexpected shape");
        }
    }

    private static string? Event(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    private static string? Str(JsonObject? o, string name)
    {
        if (o?[name] is not JsonValue v) return null;
        return v.TryGetValue<string>(out var s) ? s : null;
    }

    private static List<string> Strings(JsonObject? o, params string[] names) =>
        names.Select(n => Str(o, n)).OfType<string>().Where(s => s.Length > 0).ToList();

    private static List<string> Require(List<string> urls) =>
        urls.Count > 0 ? urls : throw new WebhookFormatException("payload names no repository URL");
}
