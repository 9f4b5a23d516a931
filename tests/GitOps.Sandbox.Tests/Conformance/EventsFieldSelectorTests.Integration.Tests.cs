using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// Field selectors on Events: each label core/v1 and events.k8s.io/v1 accept, matched against the
/// one stored Event, and the 400 for any other label.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EventsFieldSelectorTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    /// <summary>
    /// Three core Events that differ in every selectable field: "a" and "c" are about config maps
    /// and name a source; "b", about a Deployment, has an eventTime and only a reporting controller,
    /// which is what its source selects on.
    /// </summary>
    private async Task<string> SeedAsync()
    {
        var ns = await target.NewNamespaceAsync("evsel");
        JsonObject Involved(string kind, string apiVersion, string name, string uid, string rv, string fieldPath) => new()
        {
            ["kind"] = kind, ["namespace"] = ns, ["name"] = name, ["uid"] = uid,
            ["apiVersion"] = apiVersion, ["resourceVersion"] = rv, ["fieldPath"] = fieldPath,
        };
        JsonObject Event(string name, JsonObject involved, string reason, string type) => new()
        {
            ["apiVersion"] = "v1", ["kind"] = "Event", ["metadata"] = new JsonObject { ["name"] = name },
            ["involvedObject"] = involved, ["reason"] = reason, ["message"] = $"event {name}", ["type"] = type,
        };
        var a = Event("a", Involved("ConfigMap", "v1", "subject-a", "uid-a", "11", "data.a"), "Synced", "Normal");
        a["source"] = new JsonObject { ["component"] = "comp-a" };
        var b = Event("b", Involved("Deployment", "apps/v1", "subject-b", "uid-b", "22", "spec.b"), "Failed", "Warning");
        b["eventTime"] = EventFixtures.EventTime;
        b["action"] = "Apply";
        b["reportingComponent"] = "comp-b";
        b["reportingInstance"] = "comp-b-1";
        var c = Event("c", Involved("ConfigMap", "v1", "subject-c", "uid-c", "33", "data.c"), "Synced", "Normal");
        c["source"] = new JsonObject { ["component"] = "comp-c" };
        foreach (var e in new[] { a, b, c }) await EventFixtures.CreateAsync(Client, EventApi.CoreV1, ns, e);
        return ns;
    }

    public static TheoryData<string, EventApi, string, string> Selector_TestData() => new()
    {
        { "core involvedObject.kind", EventApi.CoreV1, "involvedObject.kind=ConfigMap", "a,c" },
        { "core involvedObject.namespace", EventApi.CoreV1, "involvedObject.namespace={ns}", "a,b,c" },
        { "core involvedObject.name", EventApi.CoreV1, "involvedObject.name=subject-b", "b" },
        { "core involvedObject.uid", EventApi.CoreV1, "involvedObject.uid=uid-a", "a" },
        { "core involvedObject.apiVersion", EventApi.CoreV1, "involvedObject.apiVersion=apps/v1", "b" },
        { "core involvedObject.resourceVersion", EventApi.CoreV1, "involvedObject.resourceVersion=33", "c" },
        { "core involvedObject.fieldPath", EventApi.CoreV1, "involvedObject.fieldPath=data.a", "a" },
        { "core reason", EventApi.CoreV1, "reason=Failed", "b" },
        { "core reportingComponent", EventApi.CoreV1, "reportingComponent=comp-b", "b" },
        { "core source", EventApi.CoreV1, "source=comp-c", "c" },
        { "core source falls back to the reporting controller", EventApi.CoreV1, "source=comp-b", "b" },
        { "core type", EventApi.CoreV1, "type=Warning", "b" },
        { "core metadata.name", EventApi.CoreV1, "metadata.name=c", "c" },
        { "core metadata.namespace", EventApi.CoreV1, "metadata.namespace={ns}", "a,b,c" },
        { "core not equal", EventApi.CoreV1, "type!=Warning", "a,c" },
        { "core double equals", EventApi.CoreV1, "involvedObject.name==subject-a", "a" },
        { "core two terms", EventApi.CoreV1, "involvedObject.kind=ConfigMap,reason=Synced,involvedObject.name=subject-c", "c" },
        { "core no match", EventApi.CoreV1, "involvedObject.name=nobody", "" },
        { "events regarding.kind", EventApi.EventsV1, "regarding.kind=ConfigMap", "a,c" },
        { "events regarding.namespace", EventApi.EventsV1, "regarding.namespace={ns}", "a,b,c" },
        { "events regarding.name", EventApi.EventsV1, "regarding.name=subject-b", "b" },
        { "events regarding.uid", EventApi.EventsV1, "regarding.uid=uid-c", "c" },
        { "events regarding.apiVersion", EventApi.EventsV1, "regarding.apiVersion=v1", "a,c" },
        { "events regarding.resourceVersion", EventApi.EventsV1, "regarding.resourceVersion=22", "b" },
        { "events regarding.fieldPath", EventApi.EventsV1, "regarding.fieldPath=spec.b", "b" },
        { "events reason", EventApi.EventsV1, "reason=Synced", "a,c" },
        { "events reportingController", EventApi.EventsV1, "reportingController=comp-b", "b" },
        { "events type", EventApi.EventsV1, "type=Normal", "a,c" },
        { "events metadata.name", EventApi.EventsV1, "metadata.name=a", "a" },
        { "events metadata.namespace", EventApi.EventsV1, "metadata.namespace={ns}", "a,b,c" },
        { "events not equal", EventApi.EventsV1, "regarding.kind!=ConfigMap", "b" },
    };

    [Theory]
    [MemberData(nameof(Selector_TestData))]
    public async Task List_WithEventFieldSelector_ReturnsMatchingEvents(string caseName, EventApi api, string selector, string expected)
    {
        _ = caseName;
        var ns = await SeedAsync();

        var (code, names, body) = await EventFixtures.ListAsync(Client, api, ns, selector.Replace("{ns}", ns, StringComparison.Ordinal));

        Assert.True(code == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(expected, string.Join(",", names));
    }

    /// <summary>Each API knows only its own names: the other API's labels, and fields that are not selectable, are refused.</summary>
    public static TheoryData<string, EventApi, string> Unsupported_TestData() => new()
    {
        { "core unknown involvedObject field", EventApi.CoreV1, "involvedObject.foo" },
        { "core message", EventApi.CoreV1, "message" },
        { "core events.k8s.io name regarding.name", EventApi.CoreV1, "regarding.name" },
        { "core events.k8s.io name reportingController", EventApi.CoreV1, "reportingController" },
        { "core source.component", EventApi.CoreV1, "source.component" },
        { "events core name involvedObject.name", EventApi.EventsV1, "involvedObject.name" },
        { "events core name reportingComponent", EventApi.EventsV1, "reportingComponent" },
        { "events core name source", EventApi.EventsV1, "source" },
        { "events note", EventApi.EventsV1, "note" },
        { "events action", EventApi.EventsV1, "action" },
    };

    [Theory]
    [MemberData(nameof(Unsupported_TestData))]
    public async Task List_WithUnsupportedEventFieldSelector_Returns400(string caseName, EventApi api, string label)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("evsel");

        var (code, _, status) = await EventFixtures.ListAsync(Client, api, ns, $"{label}=x");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Equal($"field label not supported: {label}", (string?)status["message"]);
    }

    [Theory]
    [InlineData(EventApi.CoreV1, "involvedObject.name=subject-b")]
    [InlineData(EventApi.EventsV1, "regarding.name=subject-b")]
    public async Task Watch_WithEventFieldSelector_SendsOnlyMatchingEvents(EventApi api, string selector)
    {
        var ns = await SeedAsync();

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Get,
            $"{EventFixtures.Collection(api, ns)}?watch=true&timeoutSeconds=1&resourceVersion=0&fieldSelector={Uri.EscapeDataString(selector)}");

        var frames = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(["ADDED b"], frames.Select(f => $"{f["type"]} {f["object"]!["metadata"]!["name"]}"));
    }

    [Fact]
    public async Task Watch_WithUnsupportedEventFieldSelector_Returns400()
    {
        var ns = await target.NewNamespaceAsync("evsel");

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"{EventFixtures.Collection(EventApi.EventsV1, ns)}?watch=true&fieldSelector=involvedObject.name%3Dx");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("field label not supported: involvedObject.name", (string?)JsonNode.Parse(text)!["message"]);
    }
}
