using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GitOps.Engine.Operation;
using GitOps.Operator.Applications;

namespace GitOps.Operator.Status;

/// <summary>
/// status of a gitops.dev/v1alpha1 Application, typed. The only place status JSON is read
/// (<see cref="Of"/>) or written (<see cref="ToJson"/>): the controller, the CLI, the webhooks and
/// the dashboard all go through it.
/// </summary>
public sealed record ApplicationStatus
{
    // Lists are never null: the JSON reader passes null for a list the object does not have.
    public static ApplicationStatus Empty { get; } = new();

    public long? ObservedGeneration { get; init; }
    public SyncSummary? Sync { get; init; }
    public HealthSummary? Health { get; init; }
    public IReadOnlyList<Condition> Conditions { get; init => field = value ?? []; } = [];
    public IReadOnlyList<ResourceStatus> Resources { get; init => field = value ?? []; } = [];
    /// <summary>Every object the Application manages, as <c>group/kind/namespace/name</c>.</summary>
    public IReadOnlyList<string> Inventory { get; init => field = value ?? []; } = [];
    public IReadOnlyList<PolicyViolationEntry>? PolicyViolations { get; init; }
    public OperationState? OperationState { get; init; }
    public IReadOnlyList<HistoryEntry> History { get; init => field = value ?? []; } = [];
    public HandledRequests? HandledRequests { get; init; }

    /// <summary>The status of an Application object; empty when it has none (or one this operator cannot read).</summary>
    public static ApplicationStatus Of(JsonObject application)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (application["status"] is not JsonObject status) return Empty;
        try
        {
            return status.Deserialize(StatusJson.Default.ApplicationStatus) ?? Empty;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            // Written by someone else (status is a subresource, but a cluster admin can write it): start over.
            return Empty;
        }
    }

    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, StatusJson.Default.ApplicationStatus)!.AsObject();

    /// <summary>The condition of that type, or null.</summary>
    public Condition? Find(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>Whether the condition of that type is there and True.</summary>
    public bool Is(string type) => Find(type)?.Status == Status.Condition.True;

    /// <summary>The inventory entries that name an object (<c>group/kind/namespace/name</c>).</summary>
    [JsonIgnore]
    public IEnumerable<string> InventoryEntries => Inventory.Where(e => e.Count(c => c == '/') == 3);

    /// <summary>The first 12 characters of the synced revision; empty when none.</summary>
    [JsonIgnore]
    public string ShortRevision => Revision.Short(Sync?.Revision);

    /// <summary>The synced revision of an Application, read without reading the rest of its status (for every log line).</summary>
    public static string ShortRevisionOf(JsonObject application) => Revision.Short((string?)application?["status"]?["sync"]?["revision"]);

    /// <summary>A stage failure (source, render, sync) the operator has reported, as "Type: message", or null.</summary>
    [JsonIgnore]
    public string? StageFailure => new[] { Reasons.SourceError, Reasons.RenderError, Reasons.SyncError, Reasons.Stalled }
        .Select(Find).FirstOrDefault(c => c?.Status == Status.Condition.True) is { } failed ? $"{failed.Type}: {failed.Message}" : null;

    public HistoryEntry? FindHistory(long id) => History.FirstOrDefault(h => h.Id == id);
}

public sealed record SyncSummary(string Status, string Revision)
{
    /// <summary>The first line of the revision's commit message (status.sync.revisionMessage); null when not known.</summary>
    public string? RevisionMessage { get; init; }

    public const string Synced = "Synced";
    public const string OutOfSync = "OutOfSync";
    public const string Unknown = "Unknown";
}

public sealed record HealthSummary(string Status, string Message)
{
    public static HealthSummary Unknown { get; } = new("Unknown", "");
}

/// <summary>A condition as Kubernetes conventions want it (metav1.Condition).</summary>
public sealed record Condition(string Type, string Status, string Reason, string Message, DateTimeOffset LastTransitionTime, long ObservedGeneration)
{
    public const string True = "True";
    public const string False = "False";
}

/// <summary>One desired object: whether it matches Git, its health, and what went wrong with it.</summary>
public sealed record ResourceStatus(string Group, string Version, string Kind, string Namespace, string Name, string Status)
{
    public string? Health { get; init; }
    public string? Message { get; init; }
}

/// <summary>A Project or guardrail rule broken by an object (or by the Application itself, with no object).</summary>
public sealed record PolicyViolationEntry(string Rule, string Message, string Action)
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
}

/// <summary>The sync and refresh requests (annotation values) already acted on.</summary>
public sealed record HandledRequests
{
    public string? SyncRequestedAt { get; init; }
    public string? RefreshRequestedAt { get; init; }
}
