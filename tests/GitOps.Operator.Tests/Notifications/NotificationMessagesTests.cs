using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Notifications;

namespace GitOps.Operator.Tests.Notifications;

public class NotificationMessagesTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("s3cr3t-hmac");

    private static NotificationEvent Event(NotificationEventKind kind = NotificationEventKind.Synced, string revision = Sha,
        string repo = "https://github.com/acme/config.git") =>
        new(kind, "shop", "web", repo, revision, "deployed 0123456789ab", "Synced", "Healthy", new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    private static NotificationTarget Target(NotificationTargetType type, string? api = null, string? repository = null) =>
        new(type, null, api is null ? null : new Uri(api), repository, new SecretKeyRef("creds", "token"));

    [Fact]
    public void Webhook_Event_JsonSignedWithHmacOfTheExactBody()
    {
        var request = WebhookMessage.Build(new Uri("http://127.0.0.1:9/hook"), Event(), Key);

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(request.Body)));
        Assert.Equal(expected, request.Header(WebhookMessage.SignatureHeader));
        Assert.Equal("synced", request.Header(WebhookMessage.EventHeader));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(("synced", "shop", "web", Sha, "Healthy"),
            ((string?)body["event"], (string?)body["application"]?["namespace"], (string?)body["application"]?["name"], (string?)body["revision"], (string?)body["health"]));
        Assert.Equal("2026-12-06T12:00:00.0000000+00:00", (string?)body["at"]);
    }

    [Fact]
    public void Webhook_RepoUrlWithCredentials_Redacted()
    {
        var body = WebhookMessage.Body(Event(repo: "https://user:pa55word@git.example.com/acme/config.git"));

        Assert.DoesNotContain("pa55word", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Slack_SyncFailed_TextAndBlocks()
    {
        var body = JsonNode.Parse(SlackMessage.Body(Event(NotificationEventKind.SyncFailed) with { Message = "Deployment/shop/web: invalid" }))!;

        Assert.Equal("shop/web sync failed: Deployment/shop/web: invalid", (string?)body["text"]);
        var blocks = body["blocks"]!.AsArray();
        Assert.Equal(["header", "section", "context"], blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("shop/web sync failed", (string?)blocks[0]!["text"]!["text"]);
        Assert.Contains("revision 0123456789ab", (string?)blocks[2]!["elements"]![0]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void Teams_HealthDegraded_AdaptiveCardWithFactsInRed()
    {
        var text = TeamsMessage.Body(Event(NotificationEventKind.HealthDegraded) with { HealthStatus = "Degraded" });
        var body = JsonNode.Parse(text)!;
        var (card, heading, facts) = TeamsMessage.Read(text);

        Assert.Equal(("message", "application/vnd.microsoft.card.adaptive"), ((string?)body["type"], (string?)body["attachments"]![0]!["contentType"]));
        Assert.Equal(("AdaptiveCard", "1.4"), ((string?)card["type"], (string?)card["version"]));
        Assert.Equal(("shop/web is Degraded", "Attention"), ((string?)heading["text"], (string?)heading["color"]));
        Assert.Equal(("shop/web", "health-degraded", Sha, "Degraded"), (facts["Application"], facts["Event"], facts["Revision"], facts["Health"]));
    }

    public static TheoryData<string, NotificationTarget, NotificationEventKind, string, string, string, string> CommitStatus_TestData() => new()
    {
        { "github synced", Target(NotificationTargetType.GitHub), NotificationEventKind.Synced,
            $"https://api.github.com/repos/acme/config/statuses/{Sha}", "success", "context", "Authorization=Bearer tok" },
        { "github enterprise failed", Target(NotificationTargetType.GitHub, "https://ghe.example.com/api/v3/"), NotificationEventKind.SyncFailed,
            $"https://ghe.example.com/api/v3/repos/acme/config/statuses/{Sha}", "failure", "context", "Authorization=Bearer tok" },
        { "gitlab synced, nested group", Target(NotificationTargetType.GitLab, repository: "acme/platform/config"), NotificationEventKind.Synced,
            $"https://gitlab.com/api/v4/projects/acme%2Fplatform%2Fconfig/statuses/{Sha}", "success", "name", "PRIVATE-TOKEN=tok" },
        { "gitlab degraded is failed", Target(NotificationTargetType.GitLab, "http://127.0.0.1:8080/api/v4"), NotificationEventKind.HealthDegraded,
            $"http://127.0.0.1:8080/api/v4/projects/acme%2Fconfig/statuses/{Sha}", "failed", "name", "PRIVATE-TOKEN=tok" },
        { "gitea synced", Target(NotificationTargetType.Gitea, "https://gitea.example.com/api/v1"), NotificationEventKind.Synced,
            $"https://gitea.example.com/api/v1/repos/acme/config/statuses/{Sha}", "success", "context", "Authorization=token tok" },
        { "github healthy after the rollout", Target(NotificationTargetType.GitHub), NotificationEventKind.Healthy,
            $"https://api.github.com/repos/acme/config/statuses/{Sha}", "success", "context", "Authorization=Bearer tok" },
    };

    public static TheoryData<string, NotificationTargetType, string, string> CommitStatus_SyncedByHealth_TestData() => new()
    {
        { "github rollout going on", NotificationTargetType.GitHub, "Progressing", "pending" },
        { "gitlab rollout going on", NotificationTargetType.GitLab, "Progressing", "running" },
        { "github deployed degraded", NotificationTargetType.GitHub, "Degraded", "failure" },
        { "gitea deployed healthy", NotificationTargetType.Gitea, "Healthy", "success" },
    };

    [Theory]
    [MemberData(nameof(CommitStatus_SyncedByHealth_TestData))]
    public void CommitStatus_Synced_PendingUntilHealthy(string caseName, NotificationTargetType type, string health, string state)
    {
        var target = Target(type, type == NotificationTargetType.GitHub ? null : "https://git.example.com/api/v4");
        var request = CommitStatusMessage.Build(target, Event(NotificationEventKind.Synced) with { HealthStatus = health }, "tok");

        Assert.True(request is not null, caseName);
        Assert.Equal(state, (string?)JsonNode.Parse(request.Body)!["state"]);
    }

    [Theory]
    [MemberData(nameof(CommitStatus_TestData))]
    public void CommitStatus_Event_PostToTheDeployedCommit(string caseName, NotificationTarget target, NotificationEventKind kind,
        string url, string state, string contextField, string header)
    {
        var request = CommitStatusMessage.Build(target, Event(kind), "tok");

        Assert.True(request is not null, caseName);
        Assert.Equal(url, request.Url.AbsoluteUri);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(state, (string?)body["state"]);
        Assert.Equal("gitops/web", (string?)body[contextField]);
        var (name, value) = (header.Split('=')[0], header.Split('=', 2)[1]);
        Assert.Equal(value, request.Header(name));
    }

    public static TheoryData<string, NotificationEventKind, string> CommitStatus_Nothing_TestData() => new()
    {
        { "drift healed is no commit result", NotificationEventKind.DriftHealed, Sha },
        { "prune blocked is no commit result", NotificationEventKind.PruneBlocked, Sha },
        { "no commit known", NotificationEventKind.SyncFailed, "" },
        { "a chart version is no commit", NotificationEventKind.Synced, "1.2.3" },
    };

    [Theory]
    [MemberData(nameof(CommitStatus_Nothing_TestData))]
    public void CommitStatus_NotAboutACommit_NoRequest(string caseName, NotificationEventKind kind, string revision)
    {
        Assert.True(CommitStatusMessage.Build(Target(NotificationTargetType.GitHub), Event(kind, revision), "tok") is null, caseName);
    }

    [Fact]
    public void Request_ToString_ShowsNeitherUrlNorHeaders()
    {
        var request = SlackMessage.Build(new Uri("https://hooks.slack.com/services/T000/B000/XXXXSECRET"), Event());
        var withToken = CommitStatusMessage.Build(Target(NotificationTargetType.GitHub), Event(), "ghp_secret")!;

        Assert.DoesNotContain("XXXXSECRET", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_secret", withToken.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SlackUrlFromSecret_UsedWhenSpecHasNone()
    {
        var target = new NotificationTarget(NotificationTargetType.Slack, null, null, null, new SecretKeyRef("slack", "url"));

        var request = NotificationRequests.Build(target, Event(), Encoding.UTF8.GetBytes("https://hooks.slack.com/services/T/B/X\n"))!;

        Assert.Equal("https://hooks.slack.com/services/T/B/X", request.Url.AbsoluteUri);
    }
}
