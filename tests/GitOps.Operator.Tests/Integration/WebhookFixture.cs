using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Hosting;
using GitOps.Operator.Webhooks;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Its own sandbox, Git server and operator (not the shared one): this operator has a webhook
/// Secret configured and polls Git only once an hour, so anything applied within seconds of a
/// push came through the webhook.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string SecretValue = "webhook-secret-for-tests";
    public const string GitLabToken = "gitlab-token-for-tests";

    public OperatorFixture Cluster { get; } = new() { StartOperator = false };
    public WebApplication Operator { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public StringWriter Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        await Cluster.ApplyYamlAsync($"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: gitops-system
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: gitops-webhook
              namespace: gitops-system
            stringData:
              secret: {SecretValue}
              gitlab: {GitLabToken}
            """);
        (Operator, Address) = await Cluster.StartOperatorAsync(OperatorOptions.Default with
        {
            LeaderElection = false,
            LogCopy = TextWriter.Synchronized(Logs),
            Webhooks = WebhookOptions.Default with { SecretRef = "gitops-system/gitops-webhook", Burst = 1000, RatePerSecond = 1000 },
        });
    }

    /// <summary>POSTs a GitHub push of <paramref name="repoUrl"/>'s main branch, signed with <paramref name="secret"/>.</summary>
    public async Task<(int Status, string Body)> PostGitHubPushAsync(string repoUrl, string secret = SecretValue, string branch = "main")
    {
        var body = new JsonObject
        {
            ["ref"] = $"refs/heads/{branch}",
            ["repository"] = new JsonObject { ["clone_url"] = repoUrl, ["full_name"] = "test/repo", ["default_branch"] = "main" },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/api/webhook"));
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add(WebhookSignatures.GitHubHeader, "sha256=" + WebhookSignatures.Sign(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetBytes(secret)));
        return await SendAsync(request);
    }

    public async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<string> ScrapeAsync() => Http.GetStringAsync(new Uri(Address, "/metrics"));

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Operator is not null)
        {
            await Operator.StopAsync();
            await Operator.DisposeAsync();
        }
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "webhook-operator";
}
