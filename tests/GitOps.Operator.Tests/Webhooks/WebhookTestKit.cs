using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using GitOps.Operator.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Operator.Tests.Webhooks;

/// <summary>An API that knows one Secret (or none), and counts how often it was read.</summary>
internal sealed class SecretOnlyApi(Dictionary<string, string>? data) : IKubeApi
{
    public Dictionary<string, string>? Data { get; set; } = data;
    public int Reads { get; private set; }

    public Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        Reads++;
        if (Data is null) return Task.FromResult<JsonObject?>(null);
        var d = new JsonObject();
        foreach (var (k, v) in Data) d[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v));
        return Task.FromResult<JsonObject?>(new JsonObject { ["data"] = d });
    }

    public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        throw new NotSupportedException();

    public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        throw new NotSupportedException();

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        yield break;
    }
}

/// <summary>Records the pushes handed on.</summary>
internal sealed class RecordingTarget : IPushTarget
{
    public List<PushEvent> Pushes { get; } = [];

    public Task<int> RequeueAsync(PushEvent push, CancellationToken ct)
    {
        Pushes.Add(push);
        return Task.FromResult(1);
    }
}

internal sealed class WebhookTestKit
{
    public WebhookTestKit(Dictionary<string, string>? secretData, WebhookOptions? options = null, string? secretRef = "gitops-system/webhook")
    {
        Options = (options ?? WebhookOptions.Default) with { SecretRef = secretRef };
        Api = new SecretOnlyApi(secretData);
        Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Receiver = new WebhookReceiver(Options, new WebhookSecrets(Api, Options, Time), new SourceRateLimiter(Options, Time), Target, Metrics, NullLogger<WebhookReceiver>.Instance);
    }

    public WebhookOptions Options { get; }
    public SecretOnlyApi Api { get; }
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; }
    public RecordingTarget Target { get; } = new();
    public OperatorMetrics Metrics { get; } = new();
    public WebhookReceiver Receiver { get; }

    public Task<WebhookResponse> SendAsync(IHeaderDictionary headers, string body, string from = "10.0.0.1", long? contentLength = null) =>
        SendAsync(headers, Encoding.UTF8.GetBytes(body), from, contentLength);

    public Task<WebhookResponse> SendAsync(IHeaderDictionary headers, byte[] body, string from = "10.0.0.1", long? contentLength = null) =>
        Receiver.HandleAsync(new WebhookDelivery(IPAddress.Parse(from), headers, "application/json", contentLength ?? body.Length, new MemoryStream(body)), CancellationToken.None);

    public double Count(string provider, string result) => Metrics.WebhookRequestsTotal.WithLabels(provider, result).Value;

    /// <summary>The headers a provider sends with a push (or another event), signed with <paramref name="secret"/> (null: no signature header).</summary>
    public static HeaderDictionary Headers(string provider, string body, string? secret, string? eventName = null)
    {
        var sig = secret is null ? null : WebhookSignatures.Sign(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetBytes(secret));
        var h = new HeaderDictionary { ["Content-Type"] = "application/json" };
        switch (provider)
        {
            case "github":
                h["X-GitHub-Event"] = eventName ?? "push";
                h["X-GitHub-Delivery"] = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
                if (sig is not null) h[WebhookSignatures.GitHubHeader] = "sha256=" + sig;
                break;
            case "gitlab":
                h["X-Gitlab-Event"] = eventName ?? "Push Hook";
                if (secret is not null) h[WebhookSignatures.GitLabHeader] = secret;
                break;
            case "bitbucket":
                h["X-Event-Key"] = eventName ?? "repo:push";
                h["X-Hook-UUID"] = "cb1fb3a0-0000-0000-0000-000000000000";
                if (sig is not null) h[WebhookSignatures.BitbucketHeader] = "sha256=" + sig;
                break;
            case "gitea":
                h["X-GitHub-Event"] = eventName ?? "push";
                h["X-Gogs-Event"] = eventName ?? "push";
                h["X-Gitea-Event"] = eventName ?? "push";
                if (sig is not null) h[WebhookSignatures.GiteaHeader] = sig;
                break;
            case "forgejo":
                h["X-Forgejo-Event"] = eventName ?? "push";
                if (sig is not null) h[WebhookSignatures.ForgejoHeader] = sig;
                break;
            case "generic":
                h[WebhookSignatures.GenericHeader] = sig is null ? "" : "sha256=" + sig;
                break;
            default:
                throw new ArgumentException(provider);
        }
        return h;
    }
}
