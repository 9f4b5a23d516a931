using System.Net;
using GitOps.Operator.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Webhooks;

/// <summary>One delivery as it arrived: source address, headers, and the unread body.</summary>
public sealed record WebhookDelivery(IPAddress? Source, IHeaderDictionary Headers, string? ContentType, long? ContentLength, Stream Body);

/// <summary>The answer to a delivery: a status code, a short text, and the result label counted in metrics.</summary>
public sealed record WebhookResponse(int Status, string Message, string Result)
{
    public override string ToString() => $"{Status} {Result}: {Message}";
}

/// <summary>Where a verified push goes: re-queue every Application on that repository and branch.</summary>
public interface IPushTarget
{
    /// <summary>Re-queues the matching Applications; returns how many.</summary>
    Task<int> RequeueAsync(PushEvent push, CancellationToken ct);
}

/// <summary>
/// <c>POST /api/webhook</c>: rate limit per source address, body cap, provider detection,
/// signature check against the configured secret (no secret = refused), then parse and hand the
/// push to <see cref="IPushTarget"/>. It never reconciles inline. Every answer is counted in
/// <c>gitops_webhook_requests_total{provider,result}</c>; malformed bodies get a short reason, never a stack trace.
/// </summary>
public sealed class WebhookReceiver(
    WebhookOptions options,
    WebhookSecrets secrets,
    SourceRateLimiter limiter,
    IPushTarget target,
    OperatorMetrics metrics,
    ILogger<WebhookReceiver> log)
{
    public async Task<WebhookResponse> HandleAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var provider = WebhookParsers.Detect(delivery.Headers);
        var label = provider?.ToString().ToLowerInvariant() ?? "unknown";
        var response = await HandleCoreAsync(provider, delivery, ct);
        metrics.WebhookRequestsTotal.WithLabels(label, response.Result).Inc();
        if (response.Status >= 400)
            log.LogWarning("webhook from {Source} ({Provider}) refused: {Status} {Result}: {Message}", delivery.Source, label, response.Status, response.Result, response.Message);
        return response;
    }

    private async Task<WebhookResponse> HandleCoreAsync(WebhookProvider? provider, WebhookDelivery delivery, CancellationToken ct)
    {
        if (!limiter.TryAcquire(delivery.Source)) return new(StatusCodes.Status429TooManyRequests, "too many requests from this address", "rate_limited");
        if (!secrets.Configured) return new(StatusCodes.Status403Forbidden, "webhooks are disabled: no webhook secret is configured", "no_secret");
        if (delivery.ContentLength > options.MaxBodyBytes) return TooLarge();
        var body = await ReadCappedAsync(delivery.Body, options.MaxBodyBytes, ct);
        if (body is null) return TooLarge();
        if (provider is not { } p) return new(StatusCodes.Status400BadRequest, "unknown sender: no GitHub, GitLab, Bitbucket, Gitea or X-GitOps-Signature-256 header", "unknown_provider");

        byte[]? secret;
        try
        {
            secret = await secrets.GetAsync(p, afterMismatch: false, ct);
            if (secret is not null && !WebhookSignatures.Verify(p, delivery.Headers, body, secret))
            {
                // Maybe the secret was just rotated: look once more before refusing.
                secret = await secrets.GetAsync(p, afterMismatch: true, ct);
                if (secret is not null && !WebhookSignatures.Verify(p, delivery.Headers, body, secret))
                    return new(StatusCodes.Status401Unauthorized, "signature or token missing or wrong", "invalid_signature");
            }
        }
        catch (Cluster.KubeApiException e)
        {
            log.LogWarning("cannot read the webhook secret: {Error}", e.Message);
            return new(StatusCodes.Status503ServiceUnavailable, "the webhook secret cannot be read right now", "error");
        }
        if (secret is null) return new(StatusCodes.Status403Forbidden, $"webhooks are disabled: the webhook Secret has no 'secret' or '{p.ToString().ToLowerInvariant()}' key", "no_secret");

        PushEvent push;
        try
        {
            push = WebhookParsers.Parse(p, delivery.Headers, delivery.ContentType, body);
        }
        catch (WebhookFormatException e)
        {
            return new(StatusCodes.Status400BadRequest, e.Message, "malformed");
        }
        switch (push.Kind)
        {
            case PushEventKind.Ping:
                return new(StatusCodes.Status200OK, "pong", "ping");
            case PushEventKind.Ignored:
                return new(StatusCodes.Status200OK, "event ignored: only pushes are acted on", "ignored");
        }
        var queued = await target.RequeueAsync(push, ct);
        log.LogInformation("webhook push from {Provider} for {Repository} {Refs}: {Count} Applications re-queued",
            p, push.RepoUrls[0], string.Join(",", push.Refs), queued);
        return new(StatusCodes.Status202Accepted, $"{queued} Applications re-queued", "accepted");
    }

    private WebhookResponse TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, $"body larger than {options.MaxBodyBytes} bytes", "too_large");

    /// <summary>Reads at most <paramref name="cap"/> bytes; null when the body is longer.</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, long cap, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = await body.ReadAsync(chunk, ct);
            if (n == 0) return buffer.ToArray();
            if (buffer.Length + n > cap) return null;
            buffer.Write(chunk, 0, n);
        }
    }
}
