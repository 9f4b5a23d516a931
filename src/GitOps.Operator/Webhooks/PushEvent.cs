namespace GitOps.Operator.Webhooks;

public enum WebhookProvider
{
    GitHub,
    GitLab,
    Bitbucket,
    Gitea,
    Generic,
}

public enum PushEventKind
{
    /// <summary>Refs of a repository moved: re-queue its Applications.</summary>
    Push,

    /// <summary>The provider checks the hook works (GitHub ping, Bitbucket diagnostics): answer 200.</summary>
    Ping,

    /// <summary>An event we do not act on (issues, pull requests ...): answer 200, do nothing.</summary>
    Ignored,
}

/// <summary>
/// What a verified delivery says: which repository (every URL the provider gives for it) and
/// which refs moved. An empty <see cref="Refs"/> on a push means "any ref".
/// </summary>
public sealed record PushEvent(WebhookProvider Provider, PushEventKind Kind, IReadOnlyList<string> RepoUrls, IReadOnlyList<string> Refs, string? DefaultBranch = null)
{
    /// <summary>
    /// The files the pushed commits add, modify or remove, as the payload lists them; null when it
    /// does not list them all (no list, or more commits than the payload carries). Only an ordering
    /// hint: the Applications these files touch are reconciled first, and every other one still is.
    /// </summary>
    public IReadOnlyCollection<string>? ChangedFiles { get; init; }

    public static PushEvent Ping(WebhookProvider provider) => new(provider, PushEventKind.Ping, [], []);

    public static PushEvent Ignored(WebhookProvider provider) => new(provider, PushEventKind.Ignored, [], []);

    public override string ToString() => $"{Provider} {Kind} {string.Join(",", RepoUrls)} {string.Join(",", Refs)}";
}

/// <summary>A delivery that is not what its provider sends; answered 400 with the message (never a stack trace).</summary>
public sealed class WebhookFormatException(string message) : Exception(message);
