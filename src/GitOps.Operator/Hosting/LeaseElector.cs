using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Hosting;

/// <summary>
/// Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does it:
/// try to acquire every retry period; once leading, renew every retry period and give up leadership when
/// no renewal succeeded for the renew deadline. Written over <see cref="IKubeApi"/> so the operator needs
/// no typed client (and stays free of reflection for Native AOT).
/// </summary>
public sealed class LeaseElector(IKubeApi api, string ns, string name, string identity, LeaseTimings timings, TimeProvider time)
{
    private readonly string _leases = $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";
    private readonly string _lease = $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}";
    private LeaseRecord? _observed;
    private DateTimeOffset _observedAt;
    private string? _reportedLeader;

    public event Action? StartedLeading;
    public event Action? StoppedLeading;
    public event Action<string>? NewLeader;
    public event Action<Exception>? Error;

    public bool IsLeader => _observed?.HolderIdentity == identity;

    /// <summary>Acquires, leads until a renewal deadline passes, and tries again, until cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await AcquireAsync(ct);
            StartedLeading?.Invoke();
            try
            {
                await RenewUntilLostAsync(ct);
            }
            finally
            {
                StoppedLeading?.Invoke();
            }
        }
        ct.ThrowIfCancellationRequested();
    }

    private async Task AcquireAsync(CancellationToken ct)
    {
        while (!await TryAcquireOrRenewAsync(ct))
            await Task.Delay(Jittered(timings.RetryPeriod), time, ct);
    }

    private async Task RenewUntilLostAsync(CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(timings.RetryPeriod, time, ct);
            var deadline = time.GetUtcNow() + timings.RenewDeadline;
            while (!await TryAcquireOrRenewAsync(ct))
            {
                if (time.GetUtcNow() + timings.RetryPeriod >= deadline) return;
                await Task.Delay(timings.RetryPeriod, time, ct);
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timings.RenewDeadline);
        try
        {
            var now = time.GetUtcNow();
            var lease = await api.GetAsync(_lease, attempt.Token);
            if (lease is null)
            {
                var created = new LeaseRecord(identity, (int)timings.LeaseDuration.TotalSeconds, now, now, 0);
                await api.SendAsync(HttpMethod.Post, _leases, NewLeaseObject(created).ToJsonString(), "application/json", attempt.Token);
                Observe(created, now);
                return true;
            }
            var current = RecordOf(lease);
            if (current != _observed) Observe(current, now);
            if (LeaseRecord.Next(current, _observedAt, identity, timings.LeaseDuration, now) is not { } next) return false;
            await WriteAsync(lease, next, now, attempt.Token);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            Error?.Invoke(e);
            return false;
        }
    }

    /// <summary>Gives the Lease up if it still names this process (holder cleared, 1 s duration), so a standby takes over at once.</summary>
    public async Task<bool> ReleaseAsync(CancellationToken ct)
    {
        var lease = await api.GetAsync(_lease, ct);
        if (lease is null) return false;
        var current = RecordOf(lease);
        if (current.HolderIdentity != identity) return false;
        var now = time.GetUtcNow();
        await WriteAsync(lease, current with { HolderIdentity = "", LeaseDurationSeconds = 1, RenewTime = now, AcquireTime = now }, now, ct);
        return true;
    }

    private static LeaseRecord RecordOf(JsonObject lease) => LeaseRecord.FromSpec(lease["spec"] as JsonObject);

    /// <summary>Writes the read Lease back whole with <paramref name="record"/> as its spec: its resourceVersion makes a racing write fail with 409.</summary>
    private async Task WriteAsync(JsonObject lease, LeaseRecord record, DateTimeOffset now, CancellationToken ct)
    {
        lease["spec"] = record.ToSpec();
        await api.SendAsync(HttpMethod.Put, _lease, lease.ToJsonString(), "application/json", ct);
        Observe(record, now);
    }

    private void Observe(LeaseRecord record, DateTimeOffset at)
    {
        _observed = record;
        _observedAt = at;
        if (record.HolderIdentity == _reportedLeader) return;
        _reportedLeader = record.HolderIdentity;
        NewLeader?.Invoke(record.HolderIdentity);
    }

    private JsonObject NewLeaseObject(LeaseRecord record) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = record.ToSpec(),
    };

    /// <summary>client-go waits RetryPeriod x (1 + up to 1.2) between acquire attempts, so standbys do not ask in step.</summary>
    private static TimeSpan Jittered(TimeSpan period) => period * (1 + Random.Shared.NextDouble() * 1.2);
}

public sealed record LeaseTimings(TimeSpan LeaseDuration, TimeSpan RenewDeadline, TimeSpan RetryPeriod);
