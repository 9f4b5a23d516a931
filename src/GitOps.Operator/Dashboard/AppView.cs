using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Status;

namespace GitOps.Operator.Dashboard;

/// <summary>What the dashboard shows of one Application, read once from its object (spec and typed status).</summary>
public sealed record AppView(
    string Namespace, string Name, string Project, string Sync, string Health, string Revision, string? RevisionMessage,
    DateTimeOffset? LastSync, string? Problem, bool Suspended, string RepoUrl, string Path, string TargetRevision, ApplicationStatus Status)
{
    public string Key => $"{Namespace}/{Name}";

    public bool Failing => Problem is not null;

    public static AppView Of(JsonObject app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var status = ApplicationStatus.Of(app);
        var spec = app["spec"];
        var project = (string?)spec?["project"] is { Length: > 0 } p ? p : "default";
        var lastSync = status.OperationState?.FinishedAt ?? status.OperationState?.StartedAt;
        return new AppView(
            (string?)app["metadata"]?["namespace"] ?? "", (string?)app["metadata"]?["name"] ?? "", project,
            status.Sync?.Status ?? SyncSummary.Unknown, status.Health?.Status ?? "Unknown", status.Sync?.Revision ?? "", status.Sync?.RevisionMessage,
            lastSync, ProblemOf(status), (bool?)spec?["suspend"] == true,
            Text(spec?["source"]?["repoURL"]), Text(spec?["source"]?["path"]) is { Length: > 0 } path ? path : ".",
            Text(spec?["source"]?["targetRevision"]) is { Length: > 0 } target ? target : "HEAD", status);
    }

    /// <summary>The condition that says what is wrong, as "Type: message"; null when nothing is.</summary>
    public static string? ProblemOf(ApplicationStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        string[] failing = [Reasons.SourceError, Reasons.RenderError, Reasons.SyncError, Reasons.Stalled, Reasons.PolicyViolation, Reasons.DependencyError];
        return failing.Select(status.Find).FirstOrDefault(c => c?.Status == Condition.True) is { } c ? $"{c.Type}: {c.Message}" : null;
    }

    public string ShortRevision => Applications.Revision.Short(Revision);

    /// <summary>Words the text filter looks in.</summary>
    public string SearchText => $"{Namespace}/{Name} {Project} {Revision} {RevisionMessage} {Problem} {Path}".ToLowerInvariant();

    /// <summary>Whether the app matches the list filters (empty filters match all).</summary>
    public bool Matches(ListFilter f)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.Namespace.Length > 0 && f.Namespace != Namespace) return false;
        if (f.Project.Length > 0 && f.Project != Project) return false;
        if (f.Status.Length > 0 && !(f.Status == Sync || f.Status == Health || (f.Status == "Failing" && Failing) || (f.Status == "Suspended" && Suspended))) return false;
        return f.Text.Length == 0 || SearchText.Contains(f.Text.ToLowerInvariant(), StringComparison.Ordinal);
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}

/// <summary>The Applications page's filters (query parameters namespace, project, status, q).</summary>
public sealed record ListFilter(string Namespace, string Project, string Status, string Text)
{
    public static ListFilter None { get; } = new("", "", "", "");
}
