using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Loop.Bench;

/// <summary>
/// Stands in for the cluster's HorizontalPodAutoscaler controller, which the sandbox does not
/// simulate: once an HPA the operator manages appears without conditions, it writes the status a
/// working autoscaler reports (AbleToScale and ScalingActive True), so health can be Healthy.
/// These writes are the benchmark's, not the operator's; they happen only while HPAs are created.
/// </summary>
internal sealed class HpaStandIn(KubeApi api) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(4);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pending = [];

    public long Writes;

    public void OnEvent(WatchEventType type, JsonObject hpa, long at)
    {
        if (type == WatchEventType.Deleted || hpa["status"]?["conditions"] is JsonArray { Count: > 0 }) return;
        var ns = (string?)hpa["metadata"]?["namespace"];
        var name = (string?)hpa["metadata"]?["name"];
        if (ns is null || name is null) return;
        var task = WriteAsync(ns, name);
        lock (_pending)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(task);
        }
    }

    private async Task WriteAsync(string ns, string name)
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
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            JsonObject Condition(string type, string reason) => new() { ["type"] = type, ["status"] = "True", ["reason"] = reason, ["message"] = "the benchmark stands in for the HPA controller", ["lastTransitionTime"] = now };
            var patch = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["currentReplicas"] = 1,
                    ["desiredReplicas"] = 1,
                    ["conditions"] = new JsonArray(Condition("AbleToScale", "SucceededGetScale"), Condition("ScalingActive", "ValidMetricFound")),
                },
            };
            await api.SendAsync(HttpMethod.Patch, $"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/{name}/status", patch.ToJsonString(), "application/merge-patch+json", ct);
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
