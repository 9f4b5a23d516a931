using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Notifications;

/// <summary>
/// The generic webhook: the event as JSON, signed with HMAC-SHA256 over the exact body bytes with the
/// Secret's key, in <c>X-GitOps-Signature: sha256=&lt;hex&gt;</c> (as GitHub's X-Hub-Signature-256).
/// </summary>
public static class WebhookMessage
{
    public const string SignatureHeader = "X-GitOps-Signature";
    public const string EventHeader = "X-GitOps-Event";

    public static NotificationRequest Build(Uri url, NotificationEvent e, byte[] hmacKey)
    {
        ArgumentNullException.ThrowIfNull(e);
        var body = Body(e);
        return new NotificationRequest(url, body,
        [
            new(SignatureHeader, Signature(body, hmacKey)),
            new(EventHeader, e.Name),
        ]);
    }

    public static string Body(NotificationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new JsonObject
        {
            ["event"] = e.Name,
            ["application"] = new JsonObject { ["namespace"] = e.AppNamespace, ["name"] = e.AppName },
            ["revision"] = e.Revision,
            ["repoURL"] = Source.UrlRedactor.Redact(e.RepoUrl),
            ["message"] = e.Message,
            ["sync"] = e.SyncStatus,
            ["health"] = e.HealthStatus,
            ["at"] = e.At.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }.ToJsonString();
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body's UTF-8 bytes.</summary>
    public static string Signature(string body, byte[] key) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body)));
}
