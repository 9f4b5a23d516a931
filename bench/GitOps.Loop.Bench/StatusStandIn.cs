using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Loop.Bench;

/// <summary>
/// Stands in for a controller the cluster lacks: for each watched object that <c>statusFor</c> says
/// still needs one, it patches the status that controller would write, a few at a time. These writes
/// are the benchmark's, not the operator's.
/// </summary>
internal sealed class StatusStandIn(KubeApi api, Func<JsonObject, string, JsonObject?> statusFor) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(4);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pending = [];

    public long Writes;

    /// <summary>
    /// The HorizontalPodAutoscaler controller, which the sandbox does not simulate: an HPA that appears
    /// without conditions gets what a working autoscaler reports (AbleToScale and ScalingActive True),
    /// so health can be Healthy.
    /// </summary>
    public static StatusStandIn ForHpas(KubeApi api) => new(api, (hpa, now) =>
        hpa["status"]?["conditions"] is JsonArray { Count: > 0 } ? null : new JsonObject
        {
            ["currentReplicas"] = 1,
            ["desiredReplicas"] = 1,
            ["conditions"] = new JsonArray(Condition("AbleToScale", "SucceededGetScale", now), Condition("ScalingActive", "ValidMetricFound", now)),
        });

    /// <summary>
    /// The kubelet, on a cluster with no nodes (kube-apiserver and kube-controller-manager alone), once per Pod:
    /// a Pod whose image is on registry.invalid cannot pull it (Pending, ErrImagePull); one that is never restarted
    /// (a Job's, restartPolicy Never) runs to completion (Succeeded, exit 0); any other runs, every container
    /// started and Ready, so its ReplicaSet and Deployment become available.
    /// </summary>
    public static StatusStandIn ForPods(KubeApi api) => new(api, (pod, now) =>
    {
        if (pod["status"]?["containerStatuses"] is JsonArray { Count: > 0 } || pod["metadata"]?["deletionTimestamp"] is not null) return null;
        var specs = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var outcome = specs.Any(c => ((string?)c["image"] ?? "").StartsWith("registry.invalid/", StringComparison.Ordinal)) ? PodOutcome.CannotPull
            : (string?)pod["spec"]?["restartPolicy"] == "Never" || (pod["metadata"]?["ownerReferences"] as JsonArray)?.Any(o => (string?)o?["kind"] == "Job") == true ? PodOutcome.Completes
            : PodOutcome.Runs;
        var containers = new JsonArray();
        foreach (var c in specs)
        {
            var state = outcome switch
            {
                PodOutcome.CannotPull => new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ErrImagePull", ["message"] = $"failed to pull image \"{(string?)c["image"]}\": the benchmark's kubelet stand-in pulls nothing from registry.invalid" } },
                PodOutcome.Completes => new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = now, ["finishedAt"] = now } },
                _ => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            };
            containers.Add(new JsonObject
            {
                ["name"] = (string?)c["name"],
                ["image"] = (string?)c["image"],
                ["imageID"] = "",
                ["ready"] = outcome == PodOutcome.Runs,
                ["started"] = outcome == PodOutcome.Runs,
                ["restartCount"] = 0,
                ["state"] = state,
            });
        }
        var ready = outcome == PodOutcome.Runs;
        return new JsonObject
        {
            ["phase"] = outcome switch { PodOutcome.CannotPull => "Pending", PodOutcome.Completes => "Succeeded", _ => "Running" },
            ["startTime"] = now,
            ["conditions"] = new JsonArray(Condition("PodScheduled", null, now), Condition("Initialized", null, now),
                Condition("ContainersReady", null, now, ready), Condition("Ready", null, now, ready)),
            ["containerStatuses"] = containers,
        };
    });

    private enum PodOutcome { Runs, Completes, CannotPull }

    /// <summary><see cref="ForPods"/> fed by a watch of the Pods with <paramref name="labelSelector"/> (null: all) in every namespace.</summary>
    public static Task<WatchedStandIn> WatchPodsAsync(KubeApi api, string? labelSelector) =>
        WatchedStandIn.StartAsync(api, ForPods(api), "/api/v1", "pods", labelSelector);

    /// <summary><see cref="ForHpas"/> fed by a watch of the HPAs with <paramref name="labelSelector"/> (null: all) in every namespace.</summary>
    public static Task<WatchedStandIn> WatchHpasAsync(KubeApi api, string? labelSelector) =>
        WatchedStandIn.StartAsync(api, ForHpas(api), "/apis/autoscaling/v2", "horizontalpodautoscalers", labelSelector);

    private static JsonObject Condition(string type, string? reason, string now, bool status = true)
    {
        var c = new JsonObject { ["type"] = type, ["status"] = status ? "True" : "False", ["lastTransitionTime"] = now };
        if (reason is not null)
        {
            c["reason"] = reason;
            c["message"] = "the benchmark stands in for the controller";
        }
        return c;
    }

    /// <summary>The watch callback for <paramref name="resource"/> under <paramref name="groupVersionPath"/> (e.g. /api/v1, pods).</summary>
    public Action<WatchEventType, JsonObject, long> OnEventsOf(string groupVersionPath, string resource) => (type, obj, _) =>
    {
        if (type == WatchEventType.Deleted) return;
        var ns = (string?)obj["metadata"]?["namespace"];
        var name = (string?)obj["metadata"]?["name"];
        if (ns is null || name is null) return;
        var status = statusFor(obj, DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (status is null) return;
        var task = WriteAsync($"{groupVersionPath}/namespaces/{ns}/{resource}/{name}/status", new JsonObject { ["status"] = status });
        lock (_pending)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(task);
        }
    };

    private async Task WriteAsync(string path, JsonObject patch)
    {
        var ct = _stop.Token;
        try
        {
            await _slots.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            await api.SendAsync(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", ct);
            Interlocked.Increment(ref Writes);
        }
        catch (Exception e) when (e is KubeApiException or OperationCanceledException or HttpRequestException)
        {
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] pending;
        lock (_pending) pending = [.. _pending];
        await Task.WhenAll(pending);
        _stop.Dispose();
    }
}
