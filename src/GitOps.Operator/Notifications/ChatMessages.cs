using System.Text.Json.Nodes;

namespace GitOps.Operator.Notifications;

/// <summary>The words and colour chat messages use for an event.</summary>
internal static class EventWording
{
    public static string Title(NotificationEvent e) => e.Kind switch
    {
        NotificationEventKind.Synced => $"{e.AppNamespace}/{e.AppName} synced",
        NotificationEventKind.SyncFailed => $"{e.AppNamespace}/{e.AppName} sync failed",
        NotificationEventKind.HealthDegraded => $"{e.AppNamespace}/{e.AppName} is Degraded",
        NotificationEventKind.DriftDetected => $"{e.AppNamespace}/{e.AppName} drifted from Git",
        NotificationEventKind.DriftHealed => $"{e.AppNamespace}/{e.AppName} drift healed",
        NotificationEventKind.PruneBlocked => $"{e.AppNamespace}/{e.AppName} prune blocked",
        _ => $"{e.AppNamespace}/{e.AppName} {e.Name}",
    };

    public static string Context(NotificationEvent e) =>
        $"revision {Engine.Operation.SyncOperation.Short(e.Revision)} · sync {e.SyncStatus} · health {e.HealthStatus}";

    /// <summary>Green for good news, red for failures, amber for the rest.</summary>
    public static string Colour(NotificationEvent e) => e.IsFailure ? "D63333" : e.Kind is NotificationEventKind.Synced or NotificationEventKind.DriftHealed ? "2EB886" : "DAA038";
}

/// <summary>A Slack incoming-webhook message: <c>text</c> (the fallback) and Block Kit blocks.</summary>
public static class SlackMessage
{
    public static NotificationRequest Build(Uri url, NotificationEvent e) => new(url, Body(e), []);

    public static string Body(NotificationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var title = EventWording.Title(e);
        return new JsonObject
        {
            ["text"] = $"{title}: {e.Message}",
            ["blocks"] = new JsonArray(
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = title } },
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = e.Message.Length > 0 ? e.Message : title } },
                new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = EventWording.Context(e) }),
                }),
        }.ToJsonString();
    }
}

/// <summary>A Microsoft Teams incoming-webhook message: a MessageCard with the facts of the event.</summary>
public static class TeamsMessage
{
    public static NotificationRequest Build(Uri url, NotificationEvent e) => new(url, Body(e), []);

    public static string Body(NotificationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var title = EventWording.Title(e);
        static JsonObject Fact(string name, string value) => new() { ["name"] = name, ["value"] = value };
        return new JsonObject
        {
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = title,
            ["themeColor"] = EventWording.Colour(e),
            ["title"] = title,
            ["sections"] = new JsonArray(new JsonObject
            {
                ["text"] = e.Message,
                ["facts"] = new JsonArray(
                    Fact("Application", $"{e.AppNamespace}/{e.AppName}"),
                    Fact("Event", e.Name),
                    Fact("Revision", e.Revision),
                    Fact("Sync", e.SyncStatus),
                    Fact("Health", e.HealthStatus)),
            }),
        }.ToJsonString();
    }
}
