using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;

namespace GitOps.Sandbox.Events;

/// <summary>
/// The fields ValidateEventUpdate refuses to change through events.k8s.io/v1, in its order (reason
/// is checked twice there, so it is here). Each changed one is "Invalid value: &lt;new value&gt;: field
/// is immutable", the value printed as apimachinery's field.Error prints it: strings quoted,
/// numbers plain, times by their String method, structs as Go's %#v of the internal type.
/// </summary>
internal static class ImmutableEventFields
{
    private const string Immutable = "field is immutable";

    public static IEnumerable<StatusCause> Changed(InternalEvent e, InternalEvent old)
    {
        (string Field, string New, bool Same)[] fields =
        [
            Compare("involvedObject", Reference(e.InvolvedObject), Reference(old.InvolvedObject)),
            Compare("reason", GoFormat.Quote(e.Reason), GoFormat.Quote(old.Reason)),
            Compare("message", GoFormat.Quote(e.Message), GoFormat.Quote(old.Message)),
            Compare("source", Source(e), Source(old)),
            Compare("firstTimestamp", GoTime.String(e.FirstTimestamp), GoTime.String(old.FirstTimestamp)),
            Compare("lastTimestamp", GoTime.String(e.LastTimestamp), GoTime.String(old.LastTimestamp)),
            Compare("count", e.Count.ToString(CultureInfo.InvariantCulture), old.Count.ToString(CultureInfo.InvariantCulture)),
            Compare("reason", GoFormat.Quote(e.Reason), GoFormat.Quote(old.Reason)),
            Compare("type", GoFormat.Quote(e.Type), GoFormat.Quote(old.Type)),
            // Changes below a microsecond are tolerated (kubernetes/kubernetes#111928).
            ("eventTime", GoTime.String(e.EventTime), GoTime.Microseconds(e.EventTime) == GoTime.Microseconds(old.EventTime)),
            Compare("action", GoFormat.Quote(e.Action), GoFormat.Quote(old.Action)),
            Compare("related", Pointer(e.Related), Pointer(old.Related)),
            Compare("reportingController", GoFormat.Quote(e.ReportingController), GoFormat.Quote(old.ReportingController)),
            Compare("reportingInstance", GoFormat.Quote(e.ReportingInstance), GoFormat.Quote(old.ReportingInstance)),
        ];
        return fields.Where(f => !f.Same).Select(f => FieldErrors.Invalid(f.Field, f.New, Immutable));
    }

    private static (string Field, string New, bool Same) Compare(string field, string now, string before) => (field, now, now == before);

    /// <summary>A nil pointer prints as the string "null"; another, as the struct it points to.</summary>
    private static string Pointer(JsonObject? reference) => reference is null ? GoFormat.Quote("null") : Reference(reference);

    /// <summary>%#v of a core.ObjectReference.</summary>
    private static string Reference(JsonObject? reference)
    {
        string Field(string name) => GoFormat.Quote((string?)reference?[name] ?? "");
        return $"core.ObjectReference{{Kind:{Field("kind")}, Namespace:{Field("namespace")}, Name:{Field("name")}, UID:{Field("uid")}, " +
               $"APIVersion:{Field("apiVersion")}, ResourceVersion:{Field("resourceVersion")}, FieldPath:{Field("fieldPath")}}}";
    }

    /// <summary>%#v of a core.EventSource.</summary>
    private static string Source(InternalEvent e) =>
        $"core.EventSource{{Component:{GoFormat.Quote(e.SourceComponent)}, Host:{GoFormat.Quote((string?)e.Source?["host"] ?? "")}}}";
}
