using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// Kubernetes Events on Applications (core/v1, as kubectl describe shows them). Repeats of the
/// same event within a minute bump its count instead of creating another. Failures to record are
/// logged, never thrown: events are best effort.
/// </summary>
public sealed class EventRecorder(IKubeApi api, ILogger<EventRecorder> log, TimeProvider time, string component = "gitops-operator")
{
    private readonly ConcurrentDictionary<string, (string Name, int Count, DateTimeOffset Last)> _recent = new();

    public async Task NormalAsync(JsonObject app, string reason, string message, CancellationToken ct) =>
        await RecordAsync(app, "Normal", reason, message, ct);

    public async Task WarningAsync(JsonObject app, string reason, string message, CancellationToken ct) =>
        await RecordAsync(app, "Warning", reason, message, ct);

    private async Task RecordAsync(JsonObject app, string type, string reason, string message, CancellationToken ct)
    {
        var ns = (string?)app["metadata"]?["namespace"] ?? "default";
        var name = (string?)app["metadata"]?["name"] ?? "";
        var now = time.GetUtcNow();
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var key = $"{ns}/{name}/{type}/{reason}/{message}";
        try
        {
            if (_recent.TryGetValue(key, out var seen) && now - seen.Last < TimeSpan.FromMinutes(1))
            {
                var patch = new JsonObject { ["count"] = seen.Count + 1, ["lastTimestamp"] = stamp };
                await api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/events/{seen.Name}", patch.ToJsonString(), "application/merge-patch+json", ct);
                _recent[key] = (seen.Name, seen.Count + 1, now);
                return;
            }
            if (_recent.Count > 10_000)
                foreach (var (k, v) in _recent)
                    if (now - v.Last >= TimeSpan.FromMinutes(1)) _recent.TryRemove(k, out _);
            var eventName = $"{name}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000):x3}";
            var evt = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = eventName, ["namespace"] = ns },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = (string?)app["apiVersion"], ["kind"] = (string?)app["kind"], ["name"] = name, ["namespace"] = ns,
                    ["uid"] = (string?)app["metadata"]?["uid"], ["resourceVersion"] = (string?)app["metadata"]?["resourceVersion"],
                },
                ["reason"] = reason,
                ["message"] = message.Length > 1024 ? message[..1024] : message,
                ["type"] = type,
                ["source"] = new JsonObject { ["component"] = component },
                ["firstTimestamp"] = stamp,
                ["lastTimestamp"] = stamp,
                ["count"] = 1,
                ["reportingComponent"] = component,
            };
            await api.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events", evt.ToJsonString(), "application/json", ct);
            _recent[key] = (eventName, 1, now);
        }
        catch (KubeApiException e)
        {
            log.LogWarning("could not record event {Reason} on {Namespace}/{Name}: {Error}", reason, ns, name, e.Message);
        }
    }
}
