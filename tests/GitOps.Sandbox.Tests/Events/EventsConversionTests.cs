using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;

namespace GitOps.Sandbox.Tests.Events;

/// <summary>The conversion between core/v1 and events.k8s.io/v1 Events, through the internal Event.</summary>
public sealed class EventsConversionTests
{
    /// <summary>A core/v1 Event with every field, in Go's field order.</summary>
    private static readonly string FullCore = Compact("""
        {"kind":"Event","apiVersion":"v1","metadata":{"name":"e","namespace":"ns","uid":"u","resourceVersion":"9"},
         "involvedObject":{"kind":"ConfigMap","namespace":"ns","name":"cm"},"reason":"Synced","message":"hello",
         "source":{"component":"c","host":"h"},"firstTimestamp":"2024-05-01T10:00:00Z","lastTimestamp":"2024-05-01T10:05:00Z","count":3,
         "type":"Normal","eventTime":"2024-05-01T10:00:00.123456Z","series":{"count":3,"lastObservedTime":"2024-05-01T10:05:00.000000Z"},
         "action":"Apply","related":{"kind":"Secret","name":"s"},"reportingComponent":"ctrl","reportingInstance":"ctrl-1"}
        """);

    /// <summary>The same Event as events.k8s.io/v1 writes it, in Go's field order.</summary>
    private static readonly string FullEventsV1 = Compact("""
        {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e","namespace":"ns","uid":"u","resourceVersion":"9"},
         "eventTime":"2024-05-01T10:00:00.123456Z","series":{"count":3,"lastObservedTime":"2024-05-01T10:05:00.000000Z"},
         "reportingController":"ctrl","reportingInstance":"ctrl-1","action":"Apply","reason":"Synced",
         "regarding":{"kind":"ConfigMap","namespace":"ns","name":"cm"},"related":{"kind":"Secret","name":"s"},"note":"hello","type":"Normal",
         "deprecatedSource":{"component":"c","host":"h"},"deprecatedFirstTimestamp":"2024-05-01T10:00:00Z","deprecatedLastTimestamp":"2024-05-01T10:05:00Z",
         "deprecatedCount":3}
        """);

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    [Fact]
    public void CoreToEventsV1_FullEvent_MapsEveryFieldInGoOrder()
    {
        var converted = EventConversion.CoreToEventsV1(JsonNode.Parse(FullCore)!.AsObject());

        Assert.Equal(FullEventsV1, converted.ToJsonString());
    }

    [Fact]
    public void EventsV1ToCore_FullEvent_MapsEveryFieldInGoOrder()
    {
        var converted = EventConversion.EventsV1ToCore(JsonNode.Parse(FullEventsV1)!.AsObject());

        Assert.Equal(FullCore, converted.ToJsonString());
    }

    /// <summary>What Go's encoding/json writes for an Event with nothing set: structs, zero times (as null) and non-omitempty strings stay.</summary>
    public static TheoryData<string, EventApi, string, string> Empty_TestData() => new()
    {
        {
            "core to events.k8s.io: regarding and deprecatedSource are structs, the times null", EventApi.CoreV1,
            """{"metadata":{"name":"e"}}""",
            """{"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e"},"eventTime":null,"regarding":{},"deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null}"""
        },
        {
            "events.k8s.io to core: involvedObject, source, the times, reportingComponent and reportingInstance are never omitted", EventApi.EventsV1,
            """{"metadata":{"name":"e"}}""",
            """{"kind":"Event","apiVersion":"v1","metadata":{"name":"e"},"involvedObject":{},"source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,"reportingComponent":"","reportingInstance":""}"""
        },
        {
            "core to events.k8s.io: empty strings and zero count are omitted, null times stay", EventApi.CoreV1,
            """{"metadata":{"name":"e"},"reason":"","message":"","count":0,"eventTime":null,"firstTimestamp":null,"reportingComponent":"","reportingInstance":""}""",
            """{"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e"},"eventTime":null,"regarding":{},"deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null}"""
        },
    };

    [Theory]
    [MemberData(nameof(Empty_TestData))]
    public void Convert_EmptyFields_WritesWhatGoWrites(string caseName, EventApi from, string input, string expected)
    {
        _ = caseName;
        var obj = JsonNode.Parse(input)!.AsObject();

        var converted = from == EventApi.CoreV1 ? EventConversion.CoreToEventsV1(obj) : EventConversion.EventsV1ToCore(obj);

        Assert.Equal(expected, converted.ToJsonString());
    }

    [Fact]
    public void Convert_CoreThroughEventsV1AndBack_IsUnchanged()
    {
        var core = JsonNode.Parse(FullCore)!.AsObject();

        var back = EventConversion.EventsV1ToCore(EventConversion.CoreToEventsV1(core));

        Assert.Equal(FullCore, back.ToJsonString());
    }

    [Fact]
    public void Convert_Input_IsNotChanged()
    {
        var core = JsonNode.Parse(FullCore)!.AsObject();

        EventConversion.CoreToEventsV1(core)["metadata"]!["name"] = "other";

        Assert.Equal(FullCore, core.ToJsonString());
    }
}
