using GitOps.Operator.Source;
using GitOps.Operator.Webhooks;

namespace GitOps.Operator.Tests.Webhooks;

public sealed class WebhookReceiverTests
{
    private const string Secret = "It's a Secret to Everybody";

    public static TheoryData<string, string, string, string, string> Samples_TestData => new()
    {
        // caseName, provider, body, metrics provider label, expected normalised repo, expected ref
        { "github push", "github", ProviderSamples.GitHubPush, "github.com/codertocat/hello-world", "refs/heads/main" },
        { "gitlab push", "gitlab", ProviderSamples.GitLabPush, "example.com/mike/diaspora", "refs/heads/main" },
        { "bitbucket cloud repo:push", "bitbucket", ProviderSamples.BitbucketPush, "bitbucket.org/team_name/config", "refs/heads/main" },
        { "gitea push", "gitea", ProviderSamples.GiteaPush, "localhost:3000/gitea/webhooks", "refs/heads/develop" },
        { "forgejo push", "forgejo", ProviderSamples.GiteaPush, "localhost:3000/gitea/webhooks", "refs/heads/develop" },
        { "generic push", "generic", ProviderSamples.GenericPush, "git.example.com/org/config", "main" },
    };

    [Theory]
    [MemberData(nameof(Samples_TestData))]
    public async Task HandleAsync_DocumentedSampleWithRightSignature_AcceptedAndHandedOn(string caseName, string provider, string body, string repo, string reference)
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });

        var response = await kit.SendAsync(WebhookTestKit.Headers(provider, body, Secret), body);

        Assert.True(response.Status == 202, $"{caseName}: {response}");
        var push = Assert.Single(kit.Target.Pushes);
        Assert.Contains(repo, push.RepoUrls.Select(RepoUrl.Comparable));
        Assert.Equal([reference], push.Refs);
        Assert.Equal(1, kit.Count(provider == "forgejo" ? "gitea" : provider, "accepted"));
    }

    [Theory]
    [MemberData(nameof(Samples_TestData))]
    public async Task HandleAsync_WrongSignature_Refused401(string caseName, string provider, string body, string repo, string reference)
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });

        var response = await kit.SendAsync(WebhookTestKit.Headers(provider, body, "not the secret"), body);

        Assert.True(response.Status == 401, $"{caseName} ({repo} {reference}): {response}");
        Assert.Empty(kit.Target.Pushes);
    }

    [Theory]
    [MemberData(nameof(Samples_TestData))]
    public async Task HandleAsync_MissingSignature_Refused401(string caseName, string provider, string body, string repo, string reference)
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });

        var response = await kit.SendAsync(WebhookTestKit.Headers(provider, body, secret: null), body);

        Assert.True(response.Status is 401 or 400, $"{caseName} ({repo} {reference}): {response}");
        Assert.Empty(kit.Target.Pushes);
    }

    [Theory]
    [MemberData(nameof(Samples_TestData))]
    public async Task HandleAsync_BodyChangedAfterSigning_Refused401(string caseName, string provider, string body, string repo, string reference)
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });
        var headers = WebhookTestKit.Headers(provider, body, Secret);
        var tampered = body.Replace(reference.Replace("refs/heads/", ""), "evil", StringComparison.Ordinal);

        var response = await kit.SendAsync(headers, tampered);

        // GitLab sends a token, not a body signature: a changed body passes its check, as GitLab designed.
        if (provider == "gitlab") Assert.Equal(202, response.Status);
        else Assert.True(response.Status == 401, $"{caseName} ({repo}): {response}");
    }

    public static TheoryData<string, Dictionary<string, string>?, string?> NoSecret_TestData => new()
    {
        { "no --webhook-secret-ref", new() { ["secret"] = Secret }, null },
        { "malformed ref", new() { ["secret"] = Secret }, "just-a-name" },
        { "Secret does not exist", null, "gitops-system/webhook" },
        { "Secret without the key", new() { ["other"] = Secret }, "gitops-system/webhook" },
        { "empty key", new() { ["secret"] = "" }, "gitops-system/webhook" },
    };

    [Theory]
    [MemberData(nameof(NoSecret_TestData))]
    public async Task HandleAsync_NoSecretConfigured_EveryProviderRefused(string caseName, Dictionary<string, string>? data, string? secretRef)
    {
        var kit = new WebhookTestKit(data, secretRef: secretRef);
        foreach (var (provider, body) in new[] { ("github", ProviderSamples.GitHubPush), ("gitlab", ProviderSamples.GitLabPush), ("bitbucket", ProviderSamples.BitbucketPush), ("gitea", ProviderSamples.GiteaPush), ("generic", ProviderSamples.GenericPush) })
        {
            // Signed with the secret the attacker guesses (here: the one in the Secret), and unsigned.
            Assert.True((await kit.SendAsync(WebhookTestKit.Headers(provider, body, Secret), body)).Status == 403, $"{caseName}: {provider} signed");
            Assert.True((await kit.SendAsync(WebhookTestKit.Headers(provider, body, null), body)).Status == 403, $"{caseName}: {provider} unsigned");
            Assert.True((await kit.SendAsync(WebhookTestKit.Headers(provider, body, ""), body)).Status == 403, $"{caseName}: {provider} empty signature");
        }
        Assert.Empty(kit.Target.Pushes);
    }

    public static TheoryData<string, string, string, int, string> Malformed_TestData => new()
    {
        { "not JSON", "github", "{ this is not json", 400, "malformed" },
        { "JSON array", "github", "[1,2,3]", 400, "malformed" },
        { "push without repository", "github", """{"ref":"refs/heads/main"}""", 400, "malformed" },
        { "push without ref", "gitea", """{"repository":{"clone_url":"https://h/o/r.git"}}""", 400, "malformed" },
        { "repository is a string", "github", """{"ref":"refs/heads/main","repository":"x"}""", 400, "malformed" },
        { "bitbucket without changes", "bitbucket", """{"repository":{"full_name":"a/b"}}""", 400, "malformed" },
        { "generic without repoURL", "generic", """{"revision":"main"}""", 400, "malformed" },
        { "gitlab push without project", "gitlab", """{"object_kind":"push","ref":"refs/heads/main"}""", 400, "malformed" },
        { "github ping", "github", ProviderSamples.GitHubPing, 200, "ping" },
        { "github issues event", "github", """{"action":"opened"}""", 200, "ignored" },
        { "bitbucket pull request event", "bitbucket", """{"pullrequest":{}}""", 200, "ignored" },
    };

    [Theory]
    [MemberData(nameof(Malformed_TestData))]
    public async Task HandleAsync_SignedOddBody_ShortAnswerNoStackTrace(string caseName, string provider, string body, int status, string result)
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });
        var eventName = caseName switch { "github ping" => "ping", "github issues event" => "issues", "bitbucket pull request event" => "pullrequest:created", _ => null };

        var response = await kit.SendAsync(WebhookTestKit.Headers(provider, body, Secret, eventName), body);

        Assert.True(response.Status == status && response.Result == result, $"{caseName}: {response}");
        Assert.True(response.Message.Length < 200, caseName);
        Assert.DoesNotContain(" at ", response.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Message, StringComparison.Ordinal);
        Assert.Empty(kit.Target.Pushes);
    }

    public static TheoryData<string, int, long?> Oversize_TestData => new()
    {
        { "declared too large", 1024 * 1024 + 1, null },
        { "chunked, no length, too large", 1024 * 1024 + 1, -1 },
        { "declares small, sends more", 2 * 1024 * 1024, 10 },
    };

    [Theory]
    [MemberData(nameof(Oversize_TestData))]
    public async Task HandleAsync_BodyOverOneMebibyte_Refused413(string caseName, int size, long? declared)
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });
        var body = new byte[size];
        Array.Fill(body, (byte)' ');
        var headers = WebhookTestKit.Headers("github", "", Secret);

        var response = await kit.SendAsync(headers, body, contentLength: declared == -1 ? null : declared ?? size);

        Assert.True(response.Status == 413, $"{caseName}: {response}");
    }

    [Fact]
    public async Task HandleAsync_BodyOfExactlyOneMebibyte_NotRefusedForSize()
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });
        var body = ProviderSamples.GitHubPush.PadRight(1024 * 1024);

        var response = await kit.SendAsync(WebhookTestKit.Headers("github", body, Secret), body);

        Assert.Equal(202, response.Status);
    }

    public static TheoryData<string, string, string, int> PerProviderKey_TestData => new()
    {
        // caseName, provider, key the sender signs with, expected status; Secret has secret=shared, github=gh-only
        { "github must use its own key", "github", "gh-only", 202 },
        { "github with the shared key is refused", "github", "shared", 401 },
        { "gitlab falls back to the shared key", "gitlab", "shared", 202 },
        { "gitlab with github's key is refused", "gitlab", "gh-only", 401 },
    };

    [Theory]
    [MemberData(nameof(PerProviderKey_TestData))]
    public async Task HandleAsync_PerProviderKey_TakesPrecedence(string caseName, string provider, string signWith, int status)
    {
        var kit = new WebhookTestKit(new() { ["secret"] = "shared", ["github"] = "gh-only" });
        var body = provider == "github" ? ProviderSamples.GitHubPush : ProviderSamples.GitLabPush;

        var response = await kit.SendAsync(WebhookTestKit.Headers(provider, body, signWith), body);

        Assert.True(response.Status == status, $"{caseName}: {response}");
    }

    [Fact]
    public async Task HandleAsync_SecretRotated_NewSecretAcceptedWithoutRestart()
    {
        var kit = new WebhookTestKit(new() { ["secret"] = "old" });
        var body = ProviderSamples.GitHubPush;
        Assert.Equal(202, (await kit.SendAsync(WebhookTestKit.Headers("github", body, "old"), body)).Status);

        kit.Api.Data = new() { ["secret"] = "new" };
        kit.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(202, (await kit.SendAsync(WebhookTestKit.Headers("github", body, "new"), body)).Status);
        kit.Time.Advance(kit.Options.SecretRefresh);
        Assert.Equal(401, (await kit.SendAsync(WebhookTestKit.Headers("github", body, "old"), body)).Status);
    }

    [Fact]
    public async Task HandleAsync_FloodFromOneAddress_RateLimitedOthersServed()
    {
        var kit = new WebhookTestKit(new() { ["secret"] = Secret });
        var body = ProviderSamples.GitHubPush;
        var headers = WebhookTestKit.Headers("github", body, "wrong");
        var statuses = new List<int>();
        for (var i = 0; i < kit.Options.Burst + 5; i++) statuses.Add((await kit.SendAsync(headers, body, from: "192.0.2.7")).Status);

        Assert.Equal(kit.Options.Burst, statuses.Count(s => s == 401));
        Assert.Equal(5, statuses.Count(s => s == 429));
        Assert.Equal(202, (await kit.SendAsync(WebhookTestKit.Headers("github", body, Secret), body, from: "192.0.2.8")).Status);

        kit.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(202, (await kit.SendAsync(WebhookTestKit.Headers("github", body, Secret), body, from: "192.0.2.7")).Status);
        Assert.True(kit.Count("github", "rate_limited") == 5);
    }
}
