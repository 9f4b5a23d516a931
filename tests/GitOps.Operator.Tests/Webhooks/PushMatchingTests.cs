using System.Text.Json.Nodes;
using GitOps.Operator.Controller;
using GitOps.Operator.Source;
using GitOps.Operator.Webhooks;

namespace GitOps.Operator.Tests.Webhooks;

public sealed class PushMatchingTests
{
    public static TheoryData<string, string, string, bool> RepoUrl_TestData => new()
    {
        { "identical", "https://github.com/org/repo", "https://github.com/org/repo", true },
        { ".git suffix", "https://github.com/org/repo.git", "https://github.com/org/repo", true },
        { "trailing slash", "https://github.com/org/repo/", "https://github.com/org/repo", true },
        { "host case", "https://GitHub.COM/org/repo", "https://github.com/org/repo", true },
        { "scheme", "http://github.com/org/repo", "https://github.com/org/repo", true },
        { "scp-like ssh", "git@github.com:org/repo.git", "https://github.com/org/repo", true },
        { "ssh url with port 22", "ssh://git@github.com:22/org/repo.git", "https://github.com/org/repo", true },
        { "user info", "https://token:x-oauth@github.com/org/repo.git", "https://github.com/org/repo", true },
        { "default https port", "https://github.com:443/org/repo", "https://github.com/org/repo", true },
        { "other port differs", "http://127.0.0.1:8081/repo.git", "http://127.0.0.1:8082/repo.git", false },
        { "other repository", "https://github.com/org/repo2", "https://github.com/org/repo", false },
        { "other org", "https://github.com/org2/repo", "https://github.com/org/repo", false },
        { "other host", "https://gitlab.com/org/repo", "https://github.com/org/repo", false },
        { "prefix is not a match", "https://github.com/org/repo", "https://github.com/org/repository", false },
    };

    [Theory]
    [MemberData(nameof(RepoUrl_TestData))]
    public void Same_UrlPair_MatchesAsExpected(string caseName, string a, string b, bool same)
    {
        Assert.True(RepoUrl.Same(a, b) == same, $"{caseName}: {RepoUrl.Comparable(a)} vs {RepoUrl.Comparable(b)}");
    }

    public static TheoryData<string, string?, string[], string?, bool> Revision_TestData => new()
    {
        { "branch name", "main", ["refs/heads/main"], null, true },
        { "full ref", "refs/heads/main", ["refs/heads/main"], null, true },
        { "other branch", "main", ["refs/heads/dev"], null, false },
        { "tag", "v1.2.0", ["refs/tags/v1.2.0"], null, true },
        { "HEAD with default branch pushed", "HEAD", ["refs/heads/main"], "main", true },
        { "HEAD with other branch pushed", "HEAD", ["refs/heads/dev"], "main", false },
        { "empty means HEAD", "", ["refs/heads/main"], "main", true },
        { "HEAD, default unknown, branch pushed", null, ["refs/heads/x"], null, true },
        { "HEAD, default unknown, tag pushed", null, ["refs/tags/v1"], null, false },
        { "commit SHA never moves", "0123456789abcdef0123456789abcdef01234567", ["refs/heads/main"], null, false },
        { "no refs means any", "main", [], null, true },
        { "one of several refs", "dev", ["refs/heads/main", "refs/heads/dev"], null, true },
    };

    [Theory]
    [MemberData(nameof(Revision_TestData))]
    public void Matches_TargetRevisionAndPushedRefs_AsExpected(string caseName, string? target, string[] refs, string? defaultBranch, bool expected)
    {
        Assert.True(RevisionMatcher.Matches(target, refs, defaultBranch) == expected, caseName);
    }

    [Fact]
    public void Matching_ApplicationsOfSeveralRepos_OnlyRepoAndBranchMatchesSelected()
    {
        JsonObject App(string ns, string name, string url, string revision) => new()
        {
            ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["repoURL"] = url, ["targetRevision"] = revision } },
        };
        var apps = new[]
        {
            App("a", "https-main", "https://github.com/Org/Config.git", "main"),
            App("a", "ssh-main", "git@github.com:org/config", "main"),
            App("b", "https-dev", "https://github.com/org/config", "dev"),
            App("b", "other-repo", "https://github.com/org/other", "main"),
            App("c", "tag", "https://github.com/org/config", "v1"),
        };
        var push = new PushEvent(WebhookProvider.GitHub, PushEventKind.Push, ["https://github.com/org/config.git", "git@github.com:org/config.git"], ["refs/heads/main"], "main");

        var matched = ApplicationPushTarget.Matching(apps, push.RepoUrls.Select(RepoUrl.Comparable).ToHashSet(), push).Select(m => $"{m.Namespace}/{m.Name}").ToList();

        Assert.Equal(["a/https-main", "a/ssh-main"], matched);
    }
}
