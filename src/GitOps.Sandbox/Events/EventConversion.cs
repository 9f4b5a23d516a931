using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;

namespace GitOps.Sandbox.Events;

/// <summary>
/// The conversions kube-apiserver applies between the Event APIs and the internal Event
/// (pkg/apis/core/v1 zz_generated.conversion.go and pkg/apis/events/v1/conversion.go): core/v1 maps
/// field for field (its reportingComponent is the internal ReportingController); events.k8s.io/v1
/// renames regarding ↔ involvedObject, note ↔ message, deprecatedSource ↔ source,
/// deprecatedFirstTimestamp/deprecatedLastTimestamp ↔ firstTimestamp/lastTimestamp,
/// deprecatedCount ↔ count, reportingController ↔ reportingComponent. Objects are written in
/// the Go structs' field order, leaving out what encoding/json's omitempty leaves out; a zero
/// metav1.Time or MicroTime is written <c>null</c>, as encoding/json writes it.
/// </summary>
public static class EventConversion
{
    public static JsonObject CoreToEventsV1(JsonObject core) => ToEventsV1(FromCoreV1(core));

    public static JsonObject EventsV1ToCore(JsonObject events) => ToCoreV1(FromEventsV1(events));

    public static InternalEvent From(EventApi api, JsonObject obj) => Read(api == EventApi.CoreV1 ? CoreNames : EventsV1Names, obj);

    public static InternalEvent FromCoreV1(JsonObject o) => Read(CoreNames, o);

    public static InternalEvent FromEventsV1(JsonObject o) => Read(EventsV1Names, o);

    /// <summary>What an API calls the internal fields it renames; the other fields have one name in both.</summary>
    private sealed record FieldNames(string InvolvedObject, string Message, string Source, string FirstTimestamp, string LastTimestamp, string Count, string ReportingController);

    private static readonly FieldNames CoreNames = new("involvedObject", "message", "source", "firstTimestamp", "lastTimestamp", "count", "reportingComponent");

    private static readonly FieldNames EventsV1Names = new("regarding", "note", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount", "reportingController");

    private static InternalEvent Read(FieldNames names, JsonObject o) => new(
        Metadata(o), Object(o, names.InvolvedObject), Text(o, "reason"), Text(o, names.Message), Object(o, names.Source),
        Time(o, names.FirstTimestamp), Time(o, names.LastTimestamp), Json.Long(o, names.Count) ?? 0, Text(o, "type"),
        Time(o, "eventTime"), Object(o, "series"), Text(o, "action"), Object(o, "related"),
        Text(o, names.ReportingController), Text(o, "reportingInstance"));

    /// <summary>core/v1 Event: involvedObject, source, the times, reportingComponent and reportingInstance are never omitted.</summary>
    public static JsonObject ToCoreV1(InternalEvent e)
    {
        var o = Head("v1", e);
        o["involvedObject"] = e.InvolvedObject?.DeepClone() ?? new JsonObject();
        SetText(o, "reason", e.Reason);
        SetText(o, "message", e.Message);
        o["source"] = e.Source?.DeepClone() ?? new JsonObject();
        o["firstTimestamp"] = e.FirstTimestamp?.DeepClone();
        o["lastTimestamp"] = e.LastTimestamp?.DeepClone();
        if (e.Count != 0) o["count"] = e.Count;
        SetText(o, "type", e.Type);
        o["eventTime"] = e.EventTime?.DeepClone();
        SetNode(o, "series", e.Series);
        SetText(o, "action", e.Action);
        SetNode(o, "related", e.Related);
        o["reportingComponent"] = e.ReportingController;
        o["reportingInstance"] = e.ReportingInstance;
        return o;
    }

    /// <summary>events.k8s.io/v1 Event: regarding and deprecatedSource are structs, and the times non-pointer Times: never omitted.</summary>
    public static JsonObject ToEventsV1(InternalEvent e)
    {
        var o = Head("events.k8s.io/v1", e);
        o["eventTime"] = e.EventTime?.DeepClone();
        SetNode(o, "series", e.Series);
        SetText(o, "reportingController", e.ReportingController);
        SetText(o, "reportingInstance", e.ReportingInstance);
        SetText(o, "action", e.Action);
        SetText(o, "reason", e.Reason);
        o["regarding"] = e.InvolvedObject?.DeepClone() ?? new JsonObject();
        SetNode(o, "related", e.Related);
        SetText(o, "note", e.Message);
        SetText(o, "type", e.Type);
        o["deprecatedSource"] = e.Source?.DeepClone() ?? new JsonObject();
        o["deprecatedFirstTimestamp"] = e.FirstTimestamp?.DeepClone();
        o["deprecatedLastTimestamp"] = e.LastTimestamp?.DeepClone();
        if (e.Count != 0) o["deprecatedCount"] = e.Count;
        return o;
    }

    private static JsonObject Head(string apiVersion, InternalEvent e) => new()
    {
        ["kind"] = "Event",
        ["apiVersion"] = apiVersion,
        ["metadata"] = e.Metadata.DeepClone(),
    };

    private static JsonObject Metadata(JsonObject o) => Json.Obj(o, "metadata")?.DeepClone().AsObject() ?? [];

    private static JsonObject? Object(JsonObject o, string name) => Json.Obj(o, name)?.DeepClone().AsObject();

    private static string Text(JsonObject o, string name) => Json.Str(o, name) ?? "";

    private static JsonNode? Time(JsonObject o, string name) => o[name]?.DeepClone();

    private static void SetText(JsonObject o, string name, string value)
    {
        if (value.Length > 0) o[name] = value;
    }

    private static void SetNode(JsonObject o, string name, JsonNode? value)
    {
        if (value is not null) o[name] = value.DeepClone();
    }
}
