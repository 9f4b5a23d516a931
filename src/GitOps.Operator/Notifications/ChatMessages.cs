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
    public static string Colour(NotificationEvent e) => e.IsFailure ? "D63333" : e.Kind is NotificationEventKind.Synced or NotificationEventKind.DriftHealed or NotificationEventKind.Healthy ? "2EB886" : "DAA038";

    /// <summary>The same colour in an Adaptive Card's words.</summary>
    public static string AdaptiveColour(NotificationEvent e) => Colour(e) switch { "D63333" => "Attention", "2EB886" => "Good", _ => "Warning" };
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

    /// <summary>
    /// A message with one Adaptive Card (1.4), what Teams Workflows webhooks ("When a Teams webhook request
    /// is received") post to a channel; the Office 365 connectors' MessageCard is being retired.
    /// </summary>
    public static string Body(NotificationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var title = EventWording.Title(e);
        static JsonObject Fact(string name, string value) => new() { ["title"] = name, ["value"] = value };
        static JsonObject Text(string text) => new() { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        var heading = Text(title);
        heading["weight"] = "Bolder";
        heading["size"] = "Medium";
        heading["color"] = EventWording.AdaptiveColour(e);
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(heading, Text(e.Message), new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(
                    Fact("Application", $"{e.AppNamespace}/{e.AppName}"),
                    Fact("Event", e.Name),
                    Fact("Revision", e.Revision),
                    Fact("Sync", e.SyncStatus),
                    Fact("Health", e.HealthStatus)),
            }),
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["summary"] = title,
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["content"] = card }),
        }.ToJsonString();
    }

    /// <summary>The card of a Teams message body, its heading and its facts by title (for the tests and the docs).</summary>
    public static (JsonObject Card, JsonObject Heading, Dictionary<string, string?> Facts) Read(string body)
    {
        var card = JsonNode.Parse(body)!["attachments"]![0]!["content"]!.AsObject();
        var blocks = card["body"]!.AsArray();
        var facts = blocks.First(b => (string?)b!["type"] == "FactSet")!["facts"]!.AsArray().ToDictionary(f => (string)f!["title"]!, f => (string?)f!["value"]);
        return (card, blocks[0]!.AsObject(), facts);
    }
}
