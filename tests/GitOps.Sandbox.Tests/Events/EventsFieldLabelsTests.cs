using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;

namespace GitOps.Sandbox.Tests.Events;

/// <summary>The fieldSelector labels of the two Event APIs and the selectable fields of a stored Event.</summary>
public sealed class EventsFieldLabelsTests
{
    [Fact]
    public void Selectable_StoredEvent_ReturnsEveryField()
    {
        var stored = JsonNode.Parse("""
            {"metadata":{"name":"e","namespace":"ns"},
             "involvedObject":{"kind":"Pod","namespace":"ns","name":"p","uid":"u","apiVersion":"v1","resourceVersion":"5","fieldPath":"spec.containers{app}"},
             "reason":"Pulled","source":{"component":"kubelet"},"type":"Normal","reportingComponent":"kubelet-ctrl"}
            """)!.AsObject();

        var fields = EventFieldLabels.Selectable(stored);

        Assert.Equal(
            "involvedObject.apiVersion=v1,involvedObject.fieldPath=spec.containers{app},involvedObject.kind=Pod,involvedObject.name=p," +
            "involvedObject.namespace=ns,involvedObject.resourceVersion=5,involvedObject.uid=u,metadata.name=e,metadata.namespace=ns," +
            "reason=Pulled,reportingComponent=kubelet-ctrl,source=kubelet,type=Normal",
            string.Join(",", fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")));
    }

    public static TheoryData<string, string, string> Source_TestData() => new()
    {
        { "source component wins", """{"source":{"component":"a"},"reportingComponent":"b"}""", "a" },
        { "reporting controller without a source", """{"source":{},"reportingComponent":"b"}""", "b" },
        { "neither", """{}""", "" },
    };

    [Theory]
    [MemberData(nameof(Source_TestData))]
    public void Selectable_Source_FallsBackToReportingController(string caseName, string stored, string expected)
    {
        _ = caseName;

        var fields = EventFieldLabels.Selectable(JsonNode.Parse(stored)!.AsObject());

        Assert.Equal(expected, fields["source"]);
    }

    [Fact]
    public void EventsV1Labels_MapOntoEveryCoreLabelButSource()
    {
        // pkg/apis/events/v1/conversion.go maps no label onto source: only core/v1 selects on it.
        var reachable = EventFieldLabels.EventsV1.Values.Order(StringComparer.Ordinal);

        Assert.Equal(EventFieldLabels.CoreV1.Keys.Where(k => k != "source").Order(StringComparer.Ordinal), reachable);
    }
}
