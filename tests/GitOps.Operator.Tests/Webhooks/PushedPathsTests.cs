using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Controller;
using GitOps.Operator.Source;
using GitOps.Operator.Webhooks;
using Microsoft.AspNetCore.Http;

namespace GitOps.Operator.Tests.Webhooks;

public sealed class PushedPathsTests
{
    public static TheoryData<string, string[]?, string?, string[], bool> Touches_TestData => new()
    {
        { "file under the path", ["apps/web/deploy.yaml"], "apps/web", [], true },
        { "file deeper under the path", ["apps/web/templates/a.yaml"], "apps/web", [], true },
        { "file of a sibling app", ["apps/web2/deploy.yaml"], "apps/web", [], false },
        { "file of another app", ["apps/api/deploy.yaml"], "apps/web", [], false },
        { "path with ./ and slashes", ["apps/web/deploy.yaml"], "./apps/web/", [], true },
        { "the root path takes every file", ["README.md"], ".", [], true },
        { "empty path is the root", ["x/y.yaml"], "", [], true },
        { "unknown changes touch everything", null, "apps/web", [], true },
        { "no changed files touch nothing", [], "apps/web", [], false },
        { "helm value file outside the path", ["shared/values-prod.yaml"], "charts/web", ["../../shared/values-prod.yaml"], true },
        { "another value file", ["shared/values-dev.yaml"], "charts/web", ["../../shared/values-prod.yaml"], false },
        { "value file climbing out of the repository is ignored", ["values.yaml"], "charts/web", ["../../../values.yaml"], false },
        { "path climbing out of the repository is treated as touched", ["a.yaml"], "../x", [], true },
    };

    [Theory]
    [MemberData(nameof(Touches_TestData))]
    public void Touches_ChangedFilesAndAppPath_AsExpected(string caseName, string[]? changed, string? path, string[] valueFiles, bool expected)
    {
        Assert.True(PushedPaths.Touches(changed, path, valueFiles) == expected, caseName);
    }

    private static PushEvent ParseGitHub(string body) =>
        WebhookParsers.Parse(WebhookProvider.GitHub, new HeaderDictionary { ["X-GitHub-Event"] = "push" }, "application/json", Encoding.UTF8.GetBytes(body));

    private static JsonObject GitHubPayload(JsonArray? commits)
    {
        var payload = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["repository"] = new JsonObject { ["clone_url"] = "https://github.com/org/config.git" },
        };
        if (commits is not null) payload["commits"] = commits;
        return payload;
    }

    private static JsonObject Commit(string[] added, string[] modified, string[] removed) => new()
    {
        ["id"] = "0123456789abcdef0123456789abcdef01234567",
        ["added"] = new JsonArray([.. added.Select(a => (JsonNode)a)]),
        ["modified"] = new JsonArray([.. modified.Select(a => (JsonNode)a)]),
        ["removed"] = new JsonArray([.. removed.Select(a => (JsonNode)a)]),
    };

    [Fact]
    public void Parse_GitHubPushWithCommits_ChangedFilesIsTheUnion()
    {
        var push = ParseGitHub(GitHubPayload([Commit(["a/new.yaml"], ["b/cm.yaml"], []), Commit([], ["b/cm.yaml"], ["c/old.yaml"])]).ToJsonString());

        Assert.Equal(["a/new.yaml", "b/cm.yaml", "c/old.yaml"], push.ChangedFiles!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_GitHubPushWithoutFileLists_ChangedFilesUnknown()
    {
        Assert.Null(ParseGitHub(GitHubPayload(null).ToJsonString()).ChangedFiles);
        Assert.Null(ParseGitHub(GitHubPayload([new JsonObject { ["id"] = "abc" }]).ToJsonString()).ChangedFiles);
        Assert.Null(ParseGitHub(GitHubPayload([.. Enumerable.Range(0, 2048).Select(_ => (JsonNode)Commit([], ["a.yaml"], []))]).ToJsonString()).ChangedFiles);
        Assert.Null(ParseGitHub(GitHubPayload([Commit([.. Enumerable.Range(0, 3000).Select(i => $"f{i}.yaml")], [], [])]).ToJsonString()).ChangedFiles);
        Assert.NotNull(ParseGitHub(GitHubPayload([Commit([.. Enumerable.Range(0, 2999).Select(i => $"f{i}.yaml")], [], [])]).ToJsonString()).ChangedFiles);
    }

    [Fact]
    public void Parse_GitLabPushWithMoreCommitsThanListed_ChangedFilesUnknown()
    {
        JsonObject Payload(int total) => new()
        {
            ["object_kind"] = "push",
            ["ref"] = "refs/heads/main",
            ["project"] = new JsonObject { ["git_http_url"] = "http://example.com/mike/diaspora.git" },
            ["commits"] = new JsonArray(Commit([], ["apps/web/cm.yaml"], [])),
            ["total_commits_count"] = total,
        };
        PushEvent Parse(JsonObject body) => WebhookParsers.Parse(WebhookProvider.GitLab, new HeaderDictionary { ["X-Gitlab-Event"] = "Push Hook" }, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()));

        Assert.Equal(["apps/web/cm.yaml"], Parse(Payload(1)).ChangedFiles!);
        Assert.Null(Parse(Payload(21)).ChangedFiles);
    }

    [Fact]
    public void Parse_BitbucketPush_ChangedFilesUnknown()
    {
        var push = WebhookParsers.Parse(WebhookProvider.Bitbucket, new HeaderDictionary { ["X-Event-Key"] = "repo:push" }, "application/json", Encoding.UTF8.GetBytes(ProviderSamples.BitbucketPush));

        Assert.Null(push.ChangedFiles);
    }

    [Fact]
    public void Matching_PushWithChangedFiles_MarksOnlyTheAppsItTouches()
    {
        JsonObject App(string name, string path, params string[] valueFiles) => new()
        {
            ["metadata"] = new JsonObject { ["namespace"] = "team", ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["source"] = new JsonObject
                {
                    ["repoURL"] = "https://github.com/org/config",
                    ["targetRevision"] = "main",
                    ["path"] = path,
                    ["helm"] = new JsonObject { ["valueFiles"] = new JsonArray([.. valueFiles.Select(v => (JsonNode)v)]) },
                },
            },
        };
        var apps = new[] { App("web", "apps/web"), App("api", "apps/api"), App("chart", "charts/db", "../../env/prod.yaml") };
        var push = new PushEvent(WebhookProvider.GitHub, PushEventKind.Push, ["https://github.com/org/config.git"], ["refs/heads/main"], "main")
        {
            ChangedFiles = ["apps/web/cm.yaml", "env/prod.yaml"],
        };

        var matched = ApplicationPushTarget.Matching(apps, push.RepoUrls.Select(RepoUrl.Comparable).ToHashSet(), push).ToDictionary(m => m.Name, m => m.Touched);

        Assert.Equal(new Dictionary<string, bool> { ["web"] = true, ["api"] = false, ["chart"] = true }, matched);
    }
}
