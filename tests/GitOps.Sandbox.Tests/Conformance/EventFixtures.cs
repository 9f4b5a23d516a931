using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// Events as raw JSON for the conformance tests of the two Event APIs: bodies with every field
/// set, the collection path of each API, and raw create/get/list. Times are written as the
/// apiserver writes them (MicroTime with six fractional digits), so they compare as strings.
/// </summary>
internal static class EventFixtures
{
    public const string EventTime = "2024-05-01T10:00:00.123456Z";
    public const string LastObservedTime = "2024-05-01T10:05:00.654321Z";
    public const string Controller = "conformance.example.com/controller";

    public static string Collection(EventApi api, string ns) =>
        api == EventApi.CoreV1 ? $"/api/v1/namespaces/{ns}/events" : $"/apis/events.k8s.io/v1/namespaces/{ns}/events";

    public static JsonObject Reference(string ns, string kind = "ConfigMap", string name = "subject") => new()
    {
        ["kind"] = kind, ["namespace"] = ns, ["name"] = name, ["uid"] = "5b1e7a7e-0000-4000-8000-000000000001",
        ["apiVersion"] = "v1", ["resourceVersion"] = "7", ["fieldPath"] = "data.k",
    };

    /// <summary>A core/v1 Event with every field set (eventTime too, so the reporting fields are required).</summary>
    public static JsonObject FullCore(string ns, string name = "full") => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["involvedObject"] = Reference(ns),
        ["reason"] = "Synced",
        ["message"] = "applied through core/v1",
        ["source"] = new JsonObject { ["component"] = "conformance", ["host"] = "node-1" },
        ["firstTimestamp"] = "2024-05-01T10:00:00Z",
        ["lastTimestamp"] = "2024-05-01T10:05:00Z",
        ["count"] = 3,
        ["type"] = "Normal",
        ["eventTime"] = EventTime,
        ["series"] = new JsonObject { ["count"] = 3, ["lastObservedTime"] = LastObservedTime },
        ["action"] = "Apply",
        ["related"] = Reference(ns, "Secret", "other"),
        ["reportingComponent"] = Controller,
        ["reportingInstance"] = "conformance-1",
    };

    /// <summary>An events.k8s.io/v1 Event with every field its validation allows (the deprecated* ones must be unset).</summary>
    public static JsonObject FullEventsV1(string ns, string name = "full") => new()
    {
        ["apiVersion"] = "events.k8s.io/v1", ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["eventTime"] = EventTime,
        ["series"] = new JsonObject { ["count"] = 2, ["lastObservedTime"] = LastObservedTime },
        ["reportingController"] = Controller,
        ["reportingInstance"] = "conformance-1",
        ["action"] = "Apply",
        ["reason"] = "Applied",
        ["regarding"] = Reference(ns),
        ["related"] = Reference(ns, "Secret", "other"),
        ["note"] = "applied through events.k8s.io/v1",
        ["type"] = "Normal",
    };

    public static JsonObject Full(EventApi api, string ns, string name = "full") => api == EventApi.CoreV1 ? FullCore(ns, name) : FullEventsV1(ns, name);

    public static async Task<JsonObject> CreateAsync(Kubernetes client, EventApi api, string ns, JsonObject body)
    {
        var (code, text, _) = await Conform.RawAsync(client, HttpMethod.Post, Collection(api, ns), body.ToJsonString());
        Assert.True(code == HttpStatusCode.Created, $"create through {api}: {(int)code} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> GetAsync(Kubernetes client, EventApi api, string ns, string name)
    {
        var (code, text, _) = await Conform.RawAsync(client, HttpMethod.Get, $"{Collection(api, ns)}/{name}");
        Assert.True(code == HttpStatusCode.OK, $"get through {api}: {(int)code} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The names a list through <paramref name="api"/> returns, sorted; a failure is returned as its code and Status.</summary>
    public static async Task<(HttpStatusCode Code, List<string> Names, JsonObject Body)> ListAsync(Kubernetes client, EventApi api, string ns, string? fieldSelector = null)
    {
        var query = fieldSelector is null ? "" : "?fieldSelector=" + Uri.EscapeDataString(fieldSelector);
        var (code, text, _) = await Conform.RawAsync(client, HttpMethod.Get, Collection(api, ns) + query);
        var body = JsonNode.Parse(text)!.AsObject();
        var names = body["items"] is JsonArray items
            ? items.Select(i => (string)i!["metadata"]!["name"]!).Order(StringComparer.Ordinal).ToList()
            : [];
        return (code, names, body);
    }
}
