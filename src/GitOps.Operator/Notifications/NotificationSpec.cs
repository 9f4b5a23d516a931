using System.Text.Json.Nodes;

namespace GitOps.Operator.Notifications;

/// <summary>Where a Notification sends its events.</summary>
public enum NotificationTargetType
{
    Webhook,
    Slack,
    Teams,
    GitHub,
    GitLab,
    Gitea,
}

/// <summary>A key of a Secret in the Notification's own namespace (a Secret elsewhere cannot be named).</summary>
public sealed record SecretKeyRef(string Name, string Key);

/// <summary>
/// spec.target: the type, the URL (webhook, Slack, Teams; from the Secret when left out, since a
/// Slack or Teams URL is itself a credential), the API URL and repository (commit status), and the
/// Secret key holding the HMAC key, URL or token.
/// </summary>
public sealed record NotificationTarget(NotificationTargetType Type, Uri? Url, Uri? ApiUrl, string? Repository, SecretKeyRef? SecretRef)
{
    public bool IsCommitStatus => Type is NotificationTargetType.GitHub or NotificationTargetType.GitLab or NotificationTargetType.Gitea;
}

/// <summary>Which Applications of the Notification's namespace it covers: all labels must match, and the name must be listed when names are.</summary>
public sealed record ApplicationSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<string> Names)
{
    public static ApplicationSelector All { get; } = new(new Dictionary<string, string>(), []);

    public bool Matches(string name, IReadOnlyDictionary<string, string> labels) =>
        (Names.Count == 0 || Names.Contains(name, StringComparer.Ordinal))
        && MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);
}

/// <summary>spec of a gitops.dev/v1alpha1 Notification, parsed; <see cref="Parse"/> throws <see cref="FormatException"/> naming the field at fault.</summary>
public sealed record NotificationSpec(IReadOnlySet<NotificationEventKind> Events, ApplicationSelector Selector, NotificationTarget Target, bool Suspend)
{
    public bool Wants(NotificationEventKind kind) => Events.Contains(kind);

    public static NotificationSpec Parse(JsonObject notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var spec = notification["spec"] as JsonObject ?? throw new FormatException("spec is required");
        var events = new HashSet<NotificationEventKind>();
        foreach (var e in spec["events"] as JsonArray ?? [])
        {
            var name = (string?)e ?? "";
            if (!NotificationEventNames.TryParse(name, out var kind))
                throw new FormatException($"spec.events: \"{name}\" is not an event (one of {string.Join(", ", NotificationEventNames.All)})");
            events.Add(kind);
        }
        if (events.Count == 0) events.UnionWith(Enum.GetValues<NotificationEventKind>());
        return new NotificationSpec(events, ParseSelector(spec["selector"] as JsonObject), ParseTarget(spec["target"] as JsonObject),
            (bool?)spec["suspend"] ?? false);
    }

    private static ApplicationSelector ParseSelector(JsonObject? selector)
    {
        if (selector is null) return ApplicationSelector.All;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in selector["matchLabels"] as JsonObject ?? []) labels[k] = (string?)v ?? "";
        var names = (selector["names"] as JsonArray ?? []).Select(n => (string?)n ?? "").Where(n => n.Length > 0).ToList();
        return new ApplicationSelector(labels, names);
    }

    private static NotificationTarget ParseTarget(JsonObject? target)
    {
        if (target is null) throw new FormatException("spec.target is required");
        var typeName = (string?)target["type"] ?? "";
        if (!Enum.TryParse<NotificationTargetType>(typeName, ignoreCase: true, out var type) || int.TryParse(typeName, out _))
            throw new FormatException($"spec.target.type: \"{typeName}\" is not one of webhook, slack, teams, github, gitlab, gitea");
        var url = AbsoluteUrl(target, "url");
        var apiUrl = AbsoluteUrl(target, "apiUrl");
        SecretKeyRef? secretRef = null;
        if (target["secretRef"] is JsonObject s)
        {
            var name = (string?)s["name"] ?? "";
            if (name.Length == 0) throw new FormatException("spec.target.secretRef.name is required");
            secretRef = new SecretKeyRef(name, (string?)s["key"] is { Length: > 0 } key ? key : DefaultKey(type));
        }
        var parsed = new NotificationTarget(type, url, apiUrl, (string?)target["repository"] is { Length: > 0 } repo ? repo.Trim('/') : null, secretRef);
        if (!parsed.IsCommitStatus && url is null && secretRef is null)
            throw new FormatException($"spec.target: a {typeName} target needs url, or secretRef to a Secret key holding the URL");
        if (type == NotificationTargetType.Webhook && url is null)
            throw new FormatException("spec.target.url is required for a webhook target");
        if (type == NotificationTargetType.Webhook && secretRef is null)
            throw new FormatException("spec.target.secretRef: a webhook target signs its bodies with the HMAC key in this Secret");
        if (parsed.IsCommitStatus && secretRef is null)
            throw new FormatException($"spec.target.secretRef: a {typeName} target needs the API token in a Secret");
        if (type == NotificationTargetType.Gitea && apiUrl is null)
            throw new FormatException("spec.target.apiUrl is required for gitea (e.g. https://gitea.example.com/api/v1)");
        return parsed;
    }

    /// <summary>The Secret key read when secretRef names none.</summary>
    public static string DefaultKey(NotificationTargetType type) => type switch
    {
        NotificationTargetType.Webhook => "hmacKey",
        NotificationTargetType.Slack or NotificationTargetType.Teams => "url",
        _ => "token",
    };

    private static Uri? AbsoluteUrl(JsonObject target, string field)
    {
        if ((string?)target[field] is not { Length: > 0 } text) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new FormatException($"spec.target.{field} is not an http(s) URL");
        return uri;
    }
}
