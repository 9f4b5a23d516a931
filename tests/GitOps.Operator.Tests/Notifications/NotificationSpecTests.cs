using System.Text.Json.Nodes;
using GitOps.Operator.Notifications;

namespace GitOps.Operator.Tests.Notifications;

public class NotificationSpecTests
{
    private static JsonObject Notification(string spec) => new() { ["spec"] = JsonNode.Parse(spec) };

    [Fact]
    public void Parse_FullSpec_Typed()
    {
        var spec = NotificationSpec.Parse(Notification("""
            { "events": ["synced", "sync-failed"], "selector": { "matchLabels": { "team": "a" }, "names": ["web"] },
              "target": { "type": "github", "apiUrl": "http://127.0.0.1:1/api", "repository": "/acme/config/", "secretRef": { "name": "gh" } } }
            """));

        Assert.Equal([NotificationEventKind.Synced, NotificationEventKind.SyncFailed], spec.Events.Order());
        Assert.Equal((NotificationTargetType.GitHub, "acme/config", "gh", "token"),
            (spec.Target.Type, spec.Target.Repository, spec.Target.SecretRef!.Name, spec.Target.SecretRef.Key));
        Assert.True(spec.Selector.Matches("web", new Dictionary<string, string> { ["team"] = "a", ["x"] = "y" }));
        Assert.False(spec.Selector.Matches("api", new Dictionary<string, string> { ["team"] = "a" }));
        Assert.False(spec.Selector.Matches("web", new Dictionary<string, string> { ["team"] = "b" }));
    }

    [Fact]
    public void Parse_NoEvents_AllOfThem()
    {
        var spec = NotificationSpec.Parse(Notification("""{ "target": { "type": "slack", "secretRef": { "name": "slack" } } }"""));

        Assert.Equal(Enum.GetValues<NotificationEventKind>().Length, spec.Events.Count);
        Assert.Equal("url", spec.Target.SecretRef!.Key);
    }

    public static TheoryData<string, string, string> Invalid_TestData() => new()
    {
        { "no target", """{ "events": ["synced"] }""", "spec.target is required" },
        { "unknown event", """{ "events": ["deployed"], "target": { "type": "slack", "url": "https://x" } }""", "spec.events: \"deployed\"" },
        { "unknown type", """{ "target": { "type": "email" } }""", "spec.target.type: \"email\"" },
        { "numeric type", """{ "target": { "type": "1" } }""", "spec.target.type" },
        { "webhook without key", """{ "target": { "type": "webhook", "url": "https://x" } }""", "HMAC key" },
        { "webhook without url", """{ "target": { "type": "webhook", "secretRef": { "name": "k" } } }""", "spec.target.url is required" },
        { "slack without url or secret", """{ "target": { "type": "slack" } }""", "needs url, or secretRef" },
        { "github without token", """{ "target": { "type": "github" } }""", "API token" },
        { "gitea without apiUrl", """{ "target": { "type": "gitea", "secretRef": { "name": "t" } } }""", "apiUrl is required for gitea" },
        { "not http", """{ "target": { "type": "teams", "url": "file:///etc/passwd" } }""", "spec.target.url is not an http(s) URL" },
    };

    [Theory]
    [MemberData(nameof(Invalid_TestData))]
    public void Parse_InvalidSpec_FieldNamed(string caseName, string spec, string expected)
    {
        var e = Assert.Throws<FormatException>(() => NotificationSpec.Parse(Notification(spec)));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{caseName}: {e.Message}");
    }

    public static TheoryData<string, string, string?> RepositoryPath_TestData() => new()
    {
        { "https with .git", "https://github.com/acme/config.git", "acme/config" },
        { "https nested group", "https://gitlab.com/acme/platform/config", "acme/platform/config" },
        { "scp-like ssh", "git@github.com:acme/config.git", "acme/config" },
        { "ssh url", "ssh://git@gitea.example.com:2222/acme/config.git", "acme/config" },
        { "no owner", "https://git.example.com/config.git", null },
        { "empty", "", null },
    };

    [Theory]
    [MemberData(nameof(RepositoryPath_TestData))]
    public void RepositoryPath_RepoUrl_OwnerAndName(string caseName, string url, string? expected)
    {
        Assert.True(expected == RepositoryPath.FromRepoUrl(url), caseName);
    }
}
