using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// core/v1 and events.k8s.io/v1 Events are two views of one stored object: written through one API,
/// read, listed and watched through the other with the fields mapped as kube-apiserver converts them.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EventsAcrossApisTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    /// <summary>Each core/v1 field and the events.k8s.io/v1 field it is read as.</summary>
    public static TheoryData<string, string, string> CoreToEventsV1_TestData() => new()
    {
        { "involvedObject is regarding", "involvedObject", "regarding" },
        { "reason", "reason", "reason" },
        { "message is note", "message", "note" },
        { "source is deprecatedSource", "source", "deprecatedSource" },
        { "firstTimestamp is deprecatedFirstTimestamp", "firstTimestamp", "deprecatedFirstTimestamp" },
        { "lastTimestamp is deprecatedLastTimestamp", "lastTimestamp", "deprecatedLastTimestamp" },
        { "count is deprecatedCount", "count", "deprecatedCount" },
        { "type", "type", "type" },
        { "eventTime", "eventTime", "eventTime" },
        { "series", "series", "series" },
        { "action", "action", "action" },
        { "related", "related", "related" },
        { "reportingComponent is reportingController", "reportingComponent", "reportingController" },
        { "reportingInstance", "reportingInstance", "reportingInstance" },
    };

    /// <summary>Each events.k8s.io/v1 field a create may set and the core/v1 field it is read as.</summary>
    public static TheoryData<string, string, string> EventsV1ToCore_TestData() => new()
    {
        { "regarding is involvedObject", "regarding", "involvedObject" },
        { "reason", "reason", "reason" },
        { "note is message", "note", "message" },
        { "type", "type", "type" },
        { "eventTime", "eventTime", "eventTime" },
        { "series", "series", "series" },
        { "action", "action", "action" },
        { "related", "related", "related" },
        { "reportingController is reportingComponent", "reportingController", "reportingComponent" },
        { "reportingInstance", "reportingInstance", "reportingInstance" },
    };

    [Theory]
    [MemberData(nameof(CoreToEventsV1_TestData))]
    public async Task CreateThroughCoreV1_ReadThroughEventsV1_MapsField(string caseName, string coreField, string eventsField)
    {
        _ = caseName;
        await AssertMappedAsync(EventApi.CoreV1, coreField, EventApi.EventsV1, eventsField);
    }

    [Theory]
    [MemberData(nameof(EventsV1ToCore_TestData))]
    public async Task CreateThroughEventsV1_ReadThroughCoreV1_MapsField(string caseName, string eventsField, string coreField)
    {
        _ = caseName;
        await AssertMappedAsync(EventApi.EventsV1, eventsField, EventApi.CoreV1, coreField);
    }

    private async Task AssertMappedAsync(EventApi writeApi, string writtenField, EventApi readApi, string readField)
    {
        var ns = await target.NewNamespaceAsync("ev");
        var body = EventFixtures.Full(writeApi, ns);
        var created = await EventFixtures.CreateAsync(Client, writeApi, ns, body);

        var read = await EventFixtures.GetAsync(Client, readApi, ns, "full");

        Assert.True(JsonNode.DeepEquals(body[writtenField], read[readField]), $"{readField}: {read[readField]?.ToJsonString()}, written {writtenField}: {body[writtenField]?.ToJsonString()}");
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), read["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), read["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(readApi == EventApi.CoreV1 ? "v1" : "events.k8s.io/v1", read["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServerSideApplyThroughEventsV1_ReadThroughCoreV1_KeepsTheAppliersEntry()
    {
        var ns = await target.NewNamespaceAsync("ev");
        var body = EventFixtures.FullEventsV1(ns, "applied");

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Patch, $"{EventFixtures.Collection(EventApi.EventsV1, ns)}/applied?fieldManager=conformance",
            body.ToJsonString(), "application/apply-patch+yaml");
        var read = await EventFixtures.GetAsync(Client, EventApi.CoreV1, ns, "applied");

        Assert.True(code == HttpStatusCode.Created, $"{(int)code} {text}");
        Assert.Equal((string?)body["note"], (string?)read["message"]);
        var entry = Assert.Single(read["metadata"]!["managedFields"]!.AsArray());
        Assert.Equal(("conformance", "Apply", "events.k8s.io/v1"), ((string?)entry!["manager"], (string?)entry["operation"], (string?)entry["apiVersion"]));
        Assert.NotNull(entry["fieldsV1"]!["f:note"]);
    }

    [Theory]
    [InlineData(EventApi.CoreV1)]
    [InlineData(EventApi.EventsV1)]
    public async Task WriteThroughOneApi_OtherApiListsAndDeletesIt(EventApi writeApi)
    {
        var ns = await target.NewNamespaceAsync("ev");
        var otherApi = Other(writeApi);
        await EventFixtures.CreateAsync(Client, writeApi, ns, EventFixtures.Full(writeApi, ns, "one"));
        await EventFixtures.CreateAsync(Client, otherApi, ns, EventFixtures.Full(otherApi, ns, "two"));

        var (_, throughWriter, _) = await EventFixtures.ListAsync(Client, writeApi, ns);
        var (_, throughOther, _) = await EventFixtures.ListAsync(Client, otherApi, ns);
        var (deleted, _, _) = await Conform.RawAsync(Client, HttpMethod.Delete, $"{EventFixtures.Collection(otherApi, ns)}/one");
        var (gone, _, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"{EventFixtures.Collection(writeApi, ns)}/one");

        Assert.Equal(["one", "two"], throughWriter);
        Assert.Equal(["one", "two"], throughOther);
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    /// <summary>
    /// One storage, but the registry's errors name the resource of the request (qualifiedResourceFromContext):
    /// the expected message and details of an AlreadyExists through <paramref name="writeApi"/>'s other API.
    /// </summary>
    [Theory]
    [InlineData(EventApi.CoreV1, "events.events.k8s.io \"taken\" already exists", """{"name":"taken","group":"events.k8s.io","kind":"events"}""")]
    [InlineData(EventApi.EventsV1, "events \"taken\" already exists", """{"name":"taken","kind":"events"}""")]
    public async Task CreateExistingNameThroughOtherApi_ConflictNamesRequestedResource(EventApi writeApi, string message, string details)
    {
        var ns = await target.NewNamespaceAsync("ev");
        var otherApi = Other(writeApi);
        await EventFixtures.CreateAsync(Client, writeApi, ns, EventFixtures.Full(writeApi, ns, "taken"));

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Post, EventFixtures.Collection(otherApi, ns), EventFixtures.Full(otherApi, ns, "taken").ToJsonString());

        var status = JsonNode.Parse(text)!;
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal(message, (string?)status["message"]);
        Assert.Equal(details, status["details"]!.ToJsonString());
    }

    [Fact]
    public async Task GetMissingThroughEventsV1_NotFoundNamesEventsV1Resource()
    {
        var ns = await target.NewNamespaceAsync("ev");

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"{EventFixtures.Collection(EventApi.EventsV1, ns)}/missing");

        var status = JsonNode.Parse(text)!;
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("events.events.k8s.io \"missing\" not found", (string?)status["message"]);
        Assert.Equal("""{"name":"missing","group":"events.k8s.io","kind":"events"}""", status["details"]!.ToJsonString());
    }

    private static EventApi Other(EventApi api) => api == EventApi.CoreV1 ? EventApi.EventsV1 : EventApi.CoreV1;

    /// <summary>A watched Event: its name and the text core/v1 calls message and events.k8s.io/v1 note.</summary>
    private sealed record Seen(string Name, string? Text, string? Reason);

    private static WatchRecorder<Seen> Watch(ApiTarget target, EventApi api, string ns, string resourceVersion) => api == EventApi.CoreV1
        ? new(target, (client, onError, ct) => Project(client.CoreV1.WatchListNamespacedEventAsync(ns, resourceVersion: resourceVersion, onError: onError, cancellationToken: ct),
            e => new Seen(e.Metadata.Name, e.Message, e.Reason)))
        : new(target, (client, onError, ct) => Project(client.EventsV1.WatchListNamespacedEventAsync(ns, resourceVersion: resourceVersion, onError: onError, cancellationToken: ct),
            e => new Seen(e.Metadata.Name, e.Note, e.Reason)));

    private static async IAsyncEnumerable<(WatchEventType, Seen)> Project<T>(IAsyncEnumerable<(WatchEventType, T)> events, Func<T, Seen> seen)
    {
        await foreach (var (type, obj) in events) yield return (type, seen(obj));
    }

    [Theory]
    [InlineData(EventApi.EventsV1, EventApi.CoreV1)]
    [InlineData(EventApi.CoreV1, EventApi.EventsV1)]
    public async Task WatchOneApi_WritesThroughOther_SendsAddedModifiedDeleted(EventApi watchApi, EventApi writeApi)
    {
        var ns = await target.NewNamespaceAsync("ev");
        var start = (await EventFixtures.ListAsync(Client, watchApi, ns)).Body["metadata"]!["resourceVersion"]!.GetValue<string>();
        await using var watch = Watch(target, watchApi, ns, start);
        var body = EventFixtures.Full(writeApi, ns, "watched");
        var text = (string?)body[writeApi == EventApi.CoreV1 ? "message" : "note"];

        await EventFixtures.CreateAsync(Client, writeApi, ns, body);
        var added = await watch.NextChangeAsync();
        var (patched, _, _) = await Conform.RawAsync(Client, HttpMethod.Patch, $"{EventFixtures.Collection(writeApi, ns)}/watched",
            """{"metadata":{"labels":{"seen":"yes"}}}""", "application/merge-patch+json");
        var modified = await watch.NextChangeAsync();
        await Conform.RawAsync(Client, HttpMethod.Delete, $"{EventFixtures.Collection(writeApi, ns)}/watched");
        var deleted = await watch.NextChangeAsync();

        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal((WatchEventType.Added, new Seen("watched", text, (string?)body["reason"])), added);
        Assert.Equal((WatchEventType.Modified, new Seen("watched", text, (string?)body["reason"])), modified);
        Assert.Equal((WatchEventType.Deleted, new Seen("watched", text, (string?)body["reason"])), deleted);
        Assert.Empty(watch.Errors);
    }
}
