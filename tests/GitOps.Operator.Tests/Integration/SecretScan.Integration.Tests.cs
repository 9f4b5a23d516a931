using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Hosting;
using GitOps.Operator.Render.Sops;
using GitOps.Operator.Tests.Cli;
using GitOps.Operator.Webhooks;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// One secret scan over every scenario that handles a secret, run together in one operator (logging at
/// Debug): private repositories over HTTP basic auth and a bearer token (right and wrong values), a
/// signed push webhook (right and wrong secret), and a SOPS-encrypted Secret. No credential, webhook
/// secret, decrypted value or age key, in plain text or base64, appears in any log line, Application
/// status, Event, /metrics or the output of the `gitops` commands.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecretScanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "deployer";
    private const string Password = "basic-Pa55w0rd-7Q2";
    private const string WrongPassword = "wrong-Pa55w0rd-9Z4";
    private const string Token = "tok-3f9c1e7a5b2d8046";
    private const string WrongToken = "tok-wrong-6b1d0c9e2a";
    private const string WebhookSecret = "hook-s3cret-51d2";
    private const string WrongWebhookSecret = "hook-wrong-88a0";

    private readonly OperatorFixture _fx = new() { StartOperator = false };
    private readonly StringWriter _logs = new();
    private WebApplication? _operator;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        await _fx.InitializeAsync();
        await _fx.ApplyYamlAsync($"""
            apiVersion: v1
            kind: Namespace
            metadata: {"{"} name: gitops-system {"}"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {"{"} name: gitops-webhook, namespace: gitops-system {"}"}
            stringData: {"{"} secret: {WebhookSecret} {"}"}
            """);
        (_operator, _address) = await _fx.StartOperatorAsync(OperatorOptions.Default with
        {
            LeaderElection = false,
            LogCopy = TextWriter.Synchronized(_logs),
            LogLevel = Serilog.Events.LogEventLevel.Debug,
            Webhooks = WebhookOptions.Default with { SecretRef = "gitops-system/gitops-webhook" },
        });
    }

    public async Task DisposeAsync()
    {
        if (_operator is not null)
        {
            await _operator.StopAsync();
            await _operator.DisposeAsync();
        }
        await _fx.DisposeAsync();
    }

    [Fact]
    public async Task EveryScenarioWithSecrets_AtOnce_NoSecretInLogsStatusEventsMetricsOrCli()
    {
        if (_fx.Sandbox is null) return; // the webhook Secret lives in gitops-system, which a shared cluster may not lend
        var ns = await _fx.NewNamespaceAsync("scan");
        var identity = AgeIdentity.Generate();
        var sopsValue = "sops-value-" + Guid.NewGuid().ToString("N")[..12];

        // Private repositories: basic auth and a bearer token, each with a right and a wrong credential.
        await using var basic = await GitHttpServer.StartAsync(User, Password);
        await using var bearer = await GitHttpServer.StartAsync(bearerToken: Token);
        var (basicUrl, basicFirst) = await RepoAsync(basic, "basic", ("app/cm.yaml", AppYaml.ConfigMap("basic", "1")));
        var (bearerUrl, _) = await RepoAsync(bearer, "bearer", ("app/cm.yaml", AppYaml.ConfigMap("bearer", "1")),
            ("sops/db.sops.yaml", SopsKit.EncryptYaml(SopsKit.Secret("db", sopsValue), identity)));
        await _fx.ApplyYamlAsync(string.Join("\n---\n",
            CredentialsSecret(ns, "basic-creds", $"username: {User}\n  password: {Password}"),
            CredentialsSecret(ns, "basic-wrong", $"username: {User}\n  password: {WrongPassword}"),
            CredentialsSecret(ns, "bearer-creds", $"bearerToken: {Token}"),
            CredentialsSecret(ns, "bearer-wrong", $"bearerToken: {WrongToken}")));
        await SopsKit.CreateKeySecretAsync(_fx, ns, identity);
        await _fx.ApplyYamlAsync(string.Join("\n---\n",
            App(ns, "basic", basicUrl, "app", "basic-creds", interval: "1h"),
            App(ns, "basic-wrong", basicUrl, "app", "basic-wrong"),
            App(ns, "bearer", bearerUrl, "app", "bearer-creds"),
            App(ns, "bearer-wrong", bearerUrl, "app", "bearer-wrong"),
            App(ns, "sops", bearerUrl, "sops", "bearer-creds", extraSpec: SopsKit.DecryptionSpec())));

        await _fx.WaitAppAsync(ns, "basic", a => OperatorFixture.IsSyncedAt(a, basicFirst), "basic auth synced", TimeSpan.FromSeconds(60));
        await _fx.WaitAppAsync(ns, "bearer", a => OperatorFixture.HasCondition(a, "Ready"), "token synced", TimeSpan.FromSeconds(60));
        await _fx.WaitAppAsync(ns, "sops", a => OperatorFixture.HasCondition(a, "Ready"), "SOPS synced", TimeSpan.FromSeconds(60));
        await _fx.WaitAppAsync(ns, "basic-wrong", a => OperatorFixture.HasCondition(a, "SourceError"), "wrong password refused", TimeSpan.FromSeconds(60));
        await _fx.WaitAppAsync(ns, "bearer-wrong", a => OperatorFixture.HasCondition(a, "SourceError"), "wrong token refused", TimeSpan.FromSeconds(60));
        Assert.Equal(sopsValue, await SopsKit.SecretValueAsync(_fx, ns, "db", "password"));

        // A push webhook: a wrong signature refused, the right one syncs the new commit (the app polls hourly).
        using var http = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(30) };
        using (var tree = await GitWorkTree.CloneAsync(basicUrl, basic.ClientConfig))
        {
            tree.Write("app/cm.yaml", AppYaml.ConfigMap("basic", "2"));
            var second = await tree.CommitAndPushAsync("second");
            Assert.Equal(401, await PostPushAsync(http, basicUrl, WrongWebhookSecret));
            Assert.Equal(202, await PostPushAsync(http, basicUrl, WebhookSecret));
            await _fx.WaitAppAsync(ns, "basic", a => OperatorFixture.IsSyncedAt(a, second), "synced through the webhook", TimeSpan.FromSeconds(30));
        }

        // Act: gather every place a secret could leak to.
        var places = new Dictionary<string, string>
        {
            ["operator log"] = _logs.ToString(),
            ["Application status"] = (await _fx.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{ns}/applications"))!.ToJsonString(),
            ["Events"] = (await _fx.EventsAsync(ns))!.ToJsonString() + (await _fx.EventsAsync("gitops-system"))!.ToJsonString(),
            ["/metrics"] = await http.GetStringAsync("/metrics"),
        };
        foreach (var args in new[] { new[] { "status", "-n", ns }, ["status", "-A", "-o", "json"], ["history", "basic", "-n", ns, "-o", "json"] }
            .Concat(new[] { "basic", "basic-wrong", "bearer", "bearer-wrong", "sops" }.Select(app => new[] { "diff", app, "-n", ns })))
        {
            var result = await CliRun.RunAsync([.. args, "--kubeconfig", _fx.KubeconfigPath]);
            places[$"gitops {string.Join(' ', args)}"] = result.Out + result.Err;
        }

        // Assert
        Assert.Contains(ns, places["operator log"], StringComparison.Ordinal); // the log does hold these apps' lines
        Assert.Contains("db", places["gitops diff sops -n " + ns], StringComparison.Ordinal); // the diff did render the SOPS app
        var secrets = new[] { Password, WrongPassword, Token, WrongToken, WebhookSecret, WrongWebhookSecret, sopsValue, identity.SecretText() };
        var leaks = (from place in places
                     from secret in secrets
                     from form in new[] { secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)) }
                     where place.Value.Contains(form, StringComparison.Ordinal)
                     select $"{place.Key} holds {secret[..4]}…{(form == secret ? "" : " (base64)")}").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        output.WriteLine($"scanned {places.Count} places ({places.Sum(p => p.Value.Length):N0} characters) for {secrets.Length} secrets in plain and base64: none found");
    }

    private async Task<(string Url, string Commit)> RepoAsync(GitHttpServer git, string name, params (string Path, string Content)[] files)
    {
        await git.CreateBareRepoAsync(name);
        using var tree = await GitWorkTree.CloneAsync(git.RepoUrl(name), git.ClientConfig);
        foreach (var (path, content) in files) tree.Write(path, content);
        return (git.RepoUrl(name), await tree.CommitAndPushAsync("first"));
    }

    private static string CredentialsSecret(string ns, string name, string data) => $"""
        apiVersion: v1
        kind: Secret
        metadata: {"{"} name: {name}, namespace: {ns} {"}"}
        stringData:
          {data}
        """;

    private static string App(string ns, string name, string url, string path, string secret, string interval = "3m", string extraSpec = "") =>
        AppYaml.Automated(ns, name, url, path, ns, interval: interval, extraSpec: $"    secretRef:\n      name: {secret}" + (extraSpec.Length > 0 ? "\n" + extraSpec : ""));

    private static async Task<int> PostPushAsync(HttpClient http, string repoUrl, string secret)
    {
        var body = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["repository"] = new JsonObject { ["clone_url"] = repoUrl, ["full_name"] = "test/repo", ["default_branch"] = "main" },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add(WebhookSignatures.GitHubHeader, "sha256=" + WebhookSignatures.Sign(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetBytes(secret)));
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
