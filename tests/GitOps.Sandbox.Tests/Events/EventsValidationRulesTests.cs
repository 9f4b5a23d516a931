using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;

namespace GitOps.Sandbox.Tests.Events;

/// <summary>The parts of Event validation that print Go values and count as Go does.</summary>
public sealed class EventsValidationRulesTests
{
    public static TheoryData<string, string?, string> GoTime_TestData() => new()
    {
        { "whole seconds", "2024-05-01T10:00:00Z", "2024-05-01 10:00:00 +0000 UTC" },
        { "microseconds", "2024-05-01T10:00:00.123456Z", "2024-05-01 10:00:00.123456 +0000 UTC" },
        { "trailing zeros dropped", "2024-05-01T10:00:00.120000Z", "2024-05-01 10:00:00.12 +0000 UTC" },
        { "offset turned to UTC", "2024-05-01T12:00:00+02:00", "2024-05-01 10:00:00 +0000 UTC" },
        { "absent is the zero time", null, "0001-01-01 00:00:00 +0000 UTC" },
    };

    [Theory]
    [MemberData(nameof(GoTime_TestData))]
    public void GoTimeString_Time_PrintsAsGo(string caseName, string? time, string expected)
    {
        _ = caseName;

        Assert.Equal(expected, GoTime.String(time is null ? null : JsonValue.Create(time)));
    }

    private static InternalEvent EventsV1(string json) => EventConversion.FromEventsV1(JsonNode.Parse(json)!.AsObject());

    /// <summary>A valid events.k8s.io/v1 Event, open at the end for its note.</summary>
    private const string Valid = """
        {"metadata":{"name":"e","namespace":"ns"},"eventTime":"2024-05-01T10:00:00.123456Z","reportingController":"c","reportingInstance":"i",
         "action":"A","reason":"R","regarding":{"kind":"ConfigMap","namespace":"ns","name":"cm"},"type":"Normal",
        """;

    [Fact]
    public void Create_NoteOf1024CharactersButMoreBytes_IsTooLong()
    {
        var e = EventsV1(Valid + "\"note\":\"" + new string('é', 1024) + "\"}");

        var causes = EventValidation.Create(e, EventApi.EventsV1);

        Assert.Equal(["message: Invalid value: \"\": can have at most 1024 characters"], causes.Select(c => c.ToString()));
    }

    [Fact]
    public void Update_RegardingChanged_PrintsInternalObjectReference()
    {
        var old = EventsV1(Valid + "\"note\":\"n\"}");
        var changed = EventsV1(Valid.Replace("\"name\":\"cm\"", "\"name\":\"other\"", StringComparison.Ordinal) + "\"note\":\"n\"}");

        var causes = EventValidation.Update(changed, old, EventApi.EventsV1);

        Assert.Equal(
            ["involvedObject: Invalid value: core.ObjectReference{Kind:\"ConfigMap\", Namespace:\"ns\", Name:\"other\", UID:\"\", APIVersion:\"\", ResourceVersion:\"\", FieldPath:\"\"}: field is immutable"],
            causes.Select(c => c.ToString()));
    }

    public static TheoryData<string, string, string[]> EventTime_TestData() => new()
    {
        { "below a microsecond is tolerated", "2024-05-01T10:00:00.1234569Z", [] },
        {
            "a microsecond is a change", "2024-05-01T10:00:00.123457Z",
            ["eventTime: Invalid value: 2024-05-01 10:00:00.123457 +0000 UTC: field is immutable"]
        },
    };

    [Theory]
    [MemberData(nameof(EventTime_TestData))]
    public void Update_EventTimeChanged_IsImmutableAboveAMicrosecond(string caseName, string eventTime, string[] expected)
    {
        _ = caseName;
        var old = EventsV1(Valid + "\"note\":\"n\"}");
        var changed = EventsV1(Valid.Replace("2024-05-01T10:00:00.123456Z", eventTime, StringComparison.Ordinal) + "\"note\":\"n\"}");

        var causes = EventValidation.Update(changed, old, EventApi.EventsV1);

        Assert.Equal(expected, causes.Select(c => c.ToString()));
    }
}
