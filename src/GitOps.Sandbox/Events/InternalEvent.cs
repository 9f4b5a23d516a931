using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Events;

/// <summary>
/// The internal Event (k8s.io/kubernetes/pkg/apis/core.Event) that kube-apiserver converts both
/// Event APIs to and from. Nested values (object references, source, series) and times are kept
/// as the JSON they were written as; a null or absent time is Go's zero time.
/// </summary>
public sealed record InternalEvent(
    JsonObject Metadata,
    JsonObject? InvolvedObject,
    string Reason,
    string Message,
    JsonObject? Source,
    JsonNode? FirstTimestamp,
    JsonNode? LastTimestamp,
    long Count,
    string Type,
    JsonNode? EventTime,
    JsonObject? Series,
    string Action,
    JsonObject? Related,
    string ReportingController,
    string ReportingInstance)
{
    public string Name => (string?)Metadata["name"] ?? "";

    public string Namespace => (string?)Metadata["namespace"] ?? "";

    /// <summary>involvedObject.&lt;field&gt; (regarding.&lt;field&gt; in events.k8s.io), "" when unset.</summary>
    public string Involved(string field) => InvolvedObject?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>source.component, "" when unset.</summary>
    public string SourceComponent => Source?["component"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
