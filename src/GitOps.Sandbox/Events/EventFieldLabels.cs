using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Events;

/// <summary>
/// The fieldSelector labels of Events. Each API accepts its own labels and turns them into the
/// selectable fields of the stored Event: core/v1 takes them as they are
/// (pkg/apis/core/v1/conversion.go AddFieldLabelConversionsForEvent), events.k8s.io/v1 maps its
/// names onto them (pkg/apis/events/v1/conversion.go AddFieldLabelConversionsForEvent); any other
/// label is "field label not supported: &lt;label&gt;".
/// </summary>
public static class EventFieldLabels
{
    private static readonly string[] InvolvedObjectFields = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

    public static IReadOnlyDictionary<string, string> CoreV1 { get; } =
        new[] { "reason", "reportingComponent", "source", "type", "metadata.namespace", "metadata.name" }
            .Concat(InvolvedObjectFields.Select(f => "involvedObject." + f))
            .ToDictionary(label => label, label => label, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> EventsV1 { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reason"] = "reason",
            ["reportingController"] = "reportingComponent",
            ["type"] = "type",
            ["metadata.namespace"] = "metadata.namespace",
            ["metadata.name"] = "metadata.name",
        }.Concat(InvolvedObjectFields.Select(f => KeyValuePair.Create("regarding." + f, "involvedObject." + f)))
            .ToDictionary(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Of(EventApi api) => api == EventApi.CoreV1 ? CoreV1 : EventsV1;

    /// <summary>
    /// ToSelectableFields (pkg/registry/core/event/strategy.go) of a stored core/v1 Event: source is
    /// source.component, or the reporting controller when that is empty.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Selectable(JsonObject stored)
    {
        var e = EventConversion.FromCoreV1(stored);
        var fields = InvolvedObjectFields.ToDictionary(f => "involvedObject." + f, e.Involved, StringComparer.Ordinal);
        fields["reason"] = e.Reason;
        fields["reportingComponent"] = e.ReportingController;
        fields["source"] = e.SourceComponent.Length > 0 ? e.SourceComponent : e.ReportingController;
        fields["type"] = e.Type;
        fields["metadata.name"] = e.Name;
        fields["metadata.namespace"] = e.Namespace;
        return fields;
    }
}
