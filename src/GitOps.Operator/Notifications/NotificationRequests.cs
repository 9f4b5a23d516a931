using System.Text;

namespace GitOps.Operator.Notifications;

/// <summary>
/// The request a target gets for an event, with the Secret value where the target wants it: the HMAC
/// key (webhook), the URL (Slack, Teams, when spec.target.url is left out) or the API token (commit
/// status). Null: this target has nothing to say about this event (a commit status for drift).
/// </summary>
public static class NotificationRequests
{
    public static NotificationRequest? Build(NotificationTarget target, NotificationEvent e, byte[]? secret)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(e);
        var text = secret is null ? null : Encoding.UTF8.GetString(secret).Trim();
        return target.Type switch
        {
            NotificationTargetType.Webhook => WebhookMessage.Build(target.Url ?? UrlFrom(text), e, secret ?? throw new FormatException("the webhook target has no HMAC key")),
            NotificationTargetType.Slack => SlackMessage.Build(target.Url ?? UrlFrom(text), e),
            NotificationTargetType.Teams => TeamsMessage.Build(target.Url ?? UrlFrom(text), e),
            _ => CommitStatusMessage.Build(target, e, text ?? throw new FormatException($"the {target.Type} target has no token")),
        };
    }

    /// <summary>A URL read from a Secret; the message never repeats it.</summary>
    private static Uri UrlFrom(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException("the Secret key named by spec.target.secretRef does not hold an http(s) URL");
}
