using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// Event validation (pkg/apis/core/validation/events.go): events.k8s.io/v1 requires the reporting
/// fields, eventTime and a Normal or Warning type and refuses the deprecated ones; core/v1 only
/// needs them once an eventTime is set. Causes name the internal fields.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EventsValidationTests(ApiTarget target)
{
    private const string QualifiedNameError =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private Kubernetes Client => target.Client;

    /// <summary>A change to a valid Event of <c>api</c> and the causes of the 422 it gets, in order.</summary>
    public static TheoryData<string, EventApi, string, string[]> Invalid_TestData() => new()
    {
        { "events no eventTime", EventApi.EventsV1, """{"eventTime":null}""", ["eventTime: Required value"] },
        {
            "events no reportingController", EventApi.EventsV1, """{"reportingController":null}""",
            ["reportingController: Required value", "reportingController: Invalid value: \"\": name part must be non-empty", $"reportingController: Invalid value: \"\": {QualifiedNameError}"]
        },
        { "events reportingController not a qualified name", EventApi.EventsV1, """{"reportingController":"my controller"}""", [$"reportingController: Invalid value: \"my controller\": {QualifiedNameError}"] },
        { "events no reportingInstance", EventApi.EventsV1, """{"reportingInstance":null}""", ["reportingInstance: Required value"] },
        { "events reportingInstance too long", EventApi.EventsV1, $$"""{"reportingInstance":"{{new string('i', 129)}}"}""", ["reportingInstance: Invalid value: \"\": can have at most 128 characters"] },
        { "events no action", EventApi.EventsV1, """{"action":null}""", ["action: Required value"] },
        { "events action too long", EventApi.EventsV1, $$"""{"action":"{{new string('a', 129)}}"}""", ["action: Invalid value: \"\": can have at most 128 characters"] },
        { "events no reason", EventApi.EventsV1, """{"reason":null}""", ["reason: Required value"] },
        { "events reason too long", EventApi.EventsV1, $$"""{"reason":"{{new string('r', 129)}}"}""", ["reason: Invalid value: \"\": can have at most 128 characters"] },
        { "events note too long", EventApi.EventsV1, $$"""{"note":"{{new string('n', 1025)}}"}""", ["message: Invalid value: \"\": can have at most 1024 characters"] },
        { "events no type", EventApi.EventsV1, """{"type":null}""", ["type: Invalid value: \"\": has invalid value: "] },
        { "events type neither Normal nor Warning", EventApi.EventsV1, """{"type":"Info"}""", ["type: Invalid value: \"\": has invalid value: Info"] },
        { "events regarding without namespace", EventApi.EventsV1, """{"regarding":{"namespace":null}}""", ["involvedObject.namespace: Invalid value: \"\": does not match event.namespace"] },
        { "events series count below 2", EventApi.EventsV1, """{"series":{"count":1}}""", ["series.count: Invalid value: \"\": should be at least 2"] },
        { "events series without lastObservedTime", EventApi.EventsV1, """{"series":{"lastObservedTime":null}}""", ["series.lastObservedTime: Required value"] },
        { "events deprecatedCount set", EventApi.EventsV1, """{"deprecatedCount":2}""", ["count: Invalid value: \"\": needs to be unset"] },
        { "events deprecatedFirstTimestamp set", EventApi.EventsV1, """{"deprecatedFirstTimestamp":"2024-05-01T10:00:00Z"}""", ["firstTimestamp: Invalid value: \"\": needs to be unset"] },
        { "events deprecatedLastTimestamp set", EventApi.EventsV1, """{"deprecatedLastTimestamp":"2024-05-01T10:00:00Z"}""", ["lastTimestamp: Invalid value: \"\": needs to be unset"] },
        { "events deprecatedSource set", EventApi.EventsV1, """{"deprecatedSource":{"host":"node-1"}}""", ["source: Invalid value: \"\": needs to be unset"] },
        {
            "events name not a DNS subdomain", EventApi.EventsV1, """{"metadata":{"name":"Bad_Name"}}""",
            ["metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
        },
        {
            "core eventTime without reporting fields", EventApi.CoreV1, """{"reportingComponent":null,"reportingInstance":null,"action":null}""",
            ["reportingComponent: Required value", "reportingComponent: Invalid value: \"\": name part must be non-empty", $"reportingComponent: Invalid value: \"\": {QualifiedNameError}", "reportingInstance: Required value", "action: Required value"]
        },
        { "core eventTime with a long message", EventApi.CoreV1, $$"""{"message":"{{new string('m', 1025)}}"}""", ["message: Invalid value: \"\": can have at most 1024 characters"] },
        {
            "core no eventTime and another namespace", EventApi.CoreV1, """{"eventTime":null,"involvedObject":{"namespace":"elsewhere"}}""",
            ["involvedObject.namespace: Invalid value: \"elsewhere\": does not match event.namespace"]
        },
    };

    [Theory]
    [MemberData(nameof(Invalid_TestData))]
    public async Task Create_InvalidEvent_Returns422WithCauses(string caseName, EventApi api, string change, string[] expected)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("evval");
        var body = Changed(EventFixtures.Full(api, ns, "bad"), change);

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Post, EventFixtures.Collection(api, ns), body.ToJsonString());

        Assert.True(code == HttpStatusCode.UnprocessableEntity, $"{(int)code} {text}");
        var causes = JsonNode.Parse(text)!["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}");
        Assert.Equal(expected, causes);
    }

    /// <summary>What core/v1 accepts and events.k8s.io/v1 refuses: the deprecated fields, no eventTime, a path-segment name.</summary>
    public static TheoryData<string, string> CoreOnly_TestData() => new()
    {
        { "deprecated fields and no eventTime", """{"eventTime":null,"series":null}""" },
        { "no reporting fields without eventTime", """{"eventTime":null,"reportingComponent":null,"reportingInstance":null,"action":null,"type":null}""" },
        { "name with capitals and underscore", """{"metadata":{"name":"Core_Name"}}""" },
    };

    [Theory]
    [MemberData(nameof(CoreOnly_TestData))]
    public async Task CreateThroughCoreV1_LegacyEvent_Succeeds(string caseName, string change)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("evval");

        await EventFixtures.CreateAsync(Client, EventApi.CoreV1, ns, Changed(EventFixtures.FullCore(ns, "legacy"), change));
    }

    [Fact]
    public async Task CreateThroughEventsV1_Invalid_StatusNamesCoreEventKind()
    {
        var ns = await target.NewNamespaceAsync("evval");
        var body = Changed(EventFixtures.FullEventsV1(ns, "bad"), """{"eventTime":null}""");

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Post, EventFixtures.Collection(EventApi.EventsV1, ns), body.ToJsonString());

        var status = JsonNode.Parse(text)!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal("Event \"bad\" is invalid: eventTime: Required value", (string?)status["message"]);
        Assert.Equal("""{"name":"bad","kind":"Event","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"eventTime"}]}""",
            status["details"]!.ToJsonString());
    }

    /// <summary>A merge patch through <c>api</c> of an Event created through events.k8s.io/v1, and the causes it gets (none: 200).</summary>
    public static TheoryData<string, EventApi, string, string[]> Update_TestData() => new()
    {
        { "events note", EventApi.EventsV1, """{"note":"changed"}""", ["message: Invalid value: \"changed\": field is immutable"] },
        { "events reason (checked twice)", EventApi.EventsV1, """{"reason":"Changed"}""", ["reason: Invalid value: \"Changed\": field is immutable", "reason: Invalid value: \"Changed\": field is immutable"] },
        { "events action", EventApi.EventsV1, """{"action":"Delete"}""", ["action: Invalid value: \"Delete\": field is immutable"] },
        { "events series count below 2", EventApi.EventsV1, """{"series":{"count":1}}""", ["series.count: Invalid value: \"\": should be at least 2"] },
        { "events series grows", EventApi.EventsV1, """{"series":{"count":5,"lastObservedTime":"2024-05-01T10:09:00.000000Z"}}""", [] },
        { "events labels", EventApi.EventsV1, """{"metadata":{"labels":{"a":"b"}}}""", [] },
        { "core message", EventApi.CoreV1, """{"message":"changed"}""", [] },
        { "core reporting component removed", EventApi.CoreV1, """{"reportingComponent":""}""",
            ["reportingComponent: Required value", "reportingComponent: Invalid value: \"\": name part must be non-empty", $"reportingComponent: Invalid value: \"\": {QualifiedNameError}"] },
    };

    [Theory]
    [MemberData(nameof(Update_TestData))]
    public async Task Patch_EventCreatedThroughEventsV1_ValidatesAsItsApi(string caseName, EventApi api, string patch, string[] expected)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("evval");
        await EventFixtures.CreateAsync(Client, EventApi.EventsV1, ns, EventFixtures.FullEventsV1(ns, "patched"));

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Patch, $"{EventFixtures.Collection(api, ns)}/patched", patch, "application/merge-patch+json");

        var causes = code == HttpStatusCode.OK ? [] : JsonNode.Parse(text)!["details"]?["causes"]?.AsArray().Select(c => $"{c!["field"]}: {c["message"]}").ToArray();
        Assert.True(code == (expected.Length == 0 ? HttpStatusCode.OK : HttpStatusCode.UnprocessableEntity), $"{(int)code} {text}");
        Assert.Equal(expected, causes);
    }

    /// <summary>The body with a JSON merge patch applied (null removes a field), as the test's shorthand for one change.</summary>
    private static JsonObject Changed(JsonObject body, string change) =>
        GitOps.Sandbox.Patching.MergePatch.ApplyToObject(body, JsonNode.Parse(change))!.AsObject();
}
