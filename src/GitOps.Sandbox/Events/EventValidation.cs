using System.Text;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;

namespace GitOps.Sandbox.Events;

/// <summary>
/// kube-apiserver's Event validation (pkg/apis/core/validation/events.go, 1.25+; run by
/// pkg/registry/core/event/strategy.go for both APIs on the internal Event): every Event passes
/// the legacy rules, one written through events.k8s.io/v1 the strict ones as well. Field paths are
/// the internal names (message, firstTimestamp, source, count), whatever the API, but for the
/// reporting controller, which core/v1 calls reportingComponent. ObjectMeta is then checked as
/// every create checks it (path-segment names), only when nothing above failed.
/// </summary>
internal static class EventValidation
{
    public const int ReportingInstanceLengthLimit = 128;
    public const int ActionLengthLimit = 128;
    public const int ReasonLengthLimit = 128;
    public const int NoteLengthLimit = 1024;

    /// <summary>The causes of a create (<paramref name="old"/> null) or update, in the apiserver's order.</summary>
    public static IReadOnlyList<StatusCause> Validate(EventApi api, JsonObject obj, JsonObject? old)
    {
        var e = EventConversion.From(api, obj);
        if (old is not null) return [.. CommonMetadata(e), .. Update(e, EventConversion.From(api, old), api)];
        var causes = Create(e, api);
        return causes.Count > 0 ? causes : [.. CommonMetadata(e)];
    }

    /// <summary>ValidateEventCreate.</summary>
    public static IReadOnlyList<StatusCause> Create(InternalEvent e, EventApi api)
    {
        var errs = Legacy(e, api).ToList();
        if (api == EventApi.CoreV1) return errs;
        errs.AddRange(MetadataValidation.ObjectMeta(e.Metadata, BuiltinValidation.NameRule("events.k8s.io", "Event")));
        errs.AddRange(Series(e));
        if (IsZeroTime(e.EventTime)) errs.Add(FieldErrors.Required("eventTime"));
        if (e.Type is not ("Normal" or "Warning")) errs.Add(Unset("type", $"has invalid value: {e.Type}"));
        if (!IsZeroTime(e.FirstTimestamp)) errs.Add(Unset("firstTimestamp", "needs to be unset"));
        if (!IsZeroTime(e.LastTimestamp)) errs.Add(Unset("lastTimestamp", "needs to be unset"));
        if (e.Count != 0) errs.Add(Unset("count", "needs to be unset"));
        if (e.SourceComponent.Length > 0 || (string?)e.Source?["host"] is { Length: > 0 }) errs.Add(Unset("source", "needs to be unset"));
        return errs;
    }

    /// <summary>ValidateEventUpdate (ObjectMeta's immutable fields the write path already keeps from the old object).</summary>
    public static IReadOnlyList<StatusCause> Update(InternalEvent e, InternalEvent old, EventApi api)
    {
        var errs = Legacy(e, api).ToList();
        if (api == EventApi.CoreV1) return errs;
        if (!JsonNode.DeepEquals(e.Series, old.Series)) errs.AddRange(Series(e));
        errs.AddRange(ImmutableEventFields.Changed(e, old));
        return errs;
    }

    /// <summary>legacyValidateEvent: an Event without eventTime only needs a consistent namespace; one with it, the reporting fields.</summary>
    private static IEnumerable<StatusCause> Legacy(InternalEvent e, EventApi api)
    {
        var controllerField = api == EventApi.CoreV1 ? "reportingComponent" : "reportingController";
        var involvedNamespace = e.Involved("namespace");
        if (IsZeroTime(e.EventTime))
        {
            var matches = involvedNamespace.Length == 0 ? e.Namespace is "" or "default" : e.Namespace == involvedNamespace;
            if (!matches) yield return NamespaceMismatch(involvedNamespace);
        }
        else
        {
            if (involvedNamespace.Length == 0 && e.Namespace is not ("default" or "kube-system")) yield return NamespaceMismatch(involvedNamespace);
            if (e.ReportingController.Length == 0) yield return FieldErrors.Required(controllerField);
            foreach (var m in NameRules.IsQualifiedName(e.ReportingController)) yield return FieldErrors.InvalidString(controllerField, e.ReportingController, m);
            if (e.ReportingInstance.Length == 0) yield return FieldErrors.Required("reportingInstance");
            if (Bytes(e.ReportingInstance) > ReportingInstanceLengthLimit) yield return AtMost("reportingInstance", ReportingInstanceLengthLimit);
            if (e.Action.Length == 0) yield return FieldErrors.Required("action");
            if (Bytes(e.Action) > ActionLengthLimit) yield return AtMost("action", ActionLengthLimit);
            if (e.Reason.Length == 0) yield return FieldErrors.Required("reason");
            if (Bytes(e.Reason) > ReasonLengthLimit) yield return AtMost("reason", ReasonLengthLimit);
            if (Bytes(e.Message) > NoteLengthLimit) yield return AtMost("message", NoteLengthLimit);
        }
        foreach (var m in NameRules.IsDns1123Subdomain(e.Namespace)) yield return FieldErrors.InvalidString("namespace", e.Namespace, m);
    }

    /// <summary>validateV1EventSeries.</summary>
    private static IEnumerable<StatusCause> Series(InternalEvent e)
    {
        if (e.Series is null) yield break;
        if ((Json.Long(e.Series, "count") ?? 0) < 2) yield return Unset("series.count", "should be at least 2");
        if (IsZeroTime(e.Series["lastObservedTime"])) yield return FieldErrors.Required("series.lastObservedTime");
    }

    /// <summary>ValidateObjectMetaAccessor with path-segment names, which rest.BeforeCreate and BeforeUpdate run for every kind.</summary>
    private static IEnumerable<StatusCause> CommonMetadata(InternalEvent e) =>
        MetadataValidation.ObjectMeta(e.Metadata, (name, _) => NameRules.IsPathSegmentName(name));

    private static StatusCause NamespaceMismatch(string involvedNamespace) =>
        FieldErrors.InvalidString("involvedObject.namespace", involvedNamespace, "does not match event.namespace");

    /// <summary>field.Invalid(path, "", detail): the rules that print an empty value.</summary>
    private static StatusCause Unset(string field, string detail) => FieldErrors.InvalidString(field, "", detail);

    private static StatusCause AtMost(string field, int limit) => Unset(field, $"can have at most {limit} characters");

    /// <summary>Go's len of a string: its UTF-8 bytes.</summary>
    private static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    /// <summary>Go's zero time: a time that is absent, null or 0001-01-01T00:00:00Z.</summary>
    internal static bool IsZeroTime(JsonNode? time) => GoTime.Parse(time) is not { } t || t == DateTimeOffset.MinValue;
}
