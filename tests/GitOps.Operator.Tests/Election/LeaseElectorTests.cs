using GitOps.Operator.Hosting;
using GitOps.Operator.Tests.Integration;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Election;

public sealed class LeaseRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    [Fact]
    public void Next_AnotherHoldersLeaseRunning_Waits()
    {
        var held = new LeaseRecord("op-a", 15, T0, T0, 3);
        Assert.Null(LeaseRecord.Next(held, observedAt: T0, "op-b", Duration, now: T0.AddSeconds(14)));
    }

    [Fact]
    public void Next_AnotherHoldersLeaseRanOutSinceObserved_TakesItOverCountingATransition()
    {
        // renewTime says the lease is fresh, but this process has seen no change for 16 s: its own clock decides.
        var held = new LeaseRecord("op-a", 15, T0, T0.AddSeconds(60), 3);
        var next = LeaseRecord.Next(held, observedAt: T0, "op-b", Duration, now: T0.AddSeconds(16));
        Assert.Equal(new LeaseRecord("op-b", 15, T0.AddSeconds(16), T0.AddSeconds(16), 4), next);
    }

    [Fact]
    public void Next_OwnLease_RenewsKeepingAcquireTimeAndTransitions()
    {
        var mine = new LeaseRecord("op-a", 15, T0, T0, 3);
        Assert.Equal(new LeaseRecord("op-a", 15, T0, T0.AddSeconds(2), 3), LeaseRecord.Next(mine, T0, "op-a", Duration, T0.AddSeconds(2)));
    }

    [Fact]
    public void Next_ReleasedLease_TakenAtOnce()
    {
        var released = new LeaseRecord("", 1, T0, T0, 3);
        Assert.Equal("op-b", LeaseRecord.Next(released, T0, "op-b", Duration, T0)?.HolderIdentity);
    }

    [Fact]
    public void Spec_RoundTripsWithMicroseconds()
    {
        var record = new LeaseRecord("op-a", 15, T0.AddTicks(1234560), T0.AddTicks(7654320), 2);
        var spec = record.ToSpec();
        Assert.Equal("2026-12-06T10:00:00.123456Z", (string?)spec["acquireTime"]);
        Assert.Equal(record, LeaseRecord.FromSpec(spec));
    }
}

[Trait("Category", "Integration")]
public sealed class LeaseElectorTests : IAsyncLifetime
{
    private readonly OperatorFixture _fx = new() { StartOperator = false };
    private static readonly LeaseTimings Fast = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(300));

    public Task InitializeAsync() => _fx.InitializeAsync();
    public Task DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task TwoElectors_OneLeads_TheOtherTakesOverOnlyAfterTheLeaderStopsRenewing()
    {
        var ns = await _fx.NewNamespaceAsync("lease");
        var a = new LeaseElector(_fx.Api, ns, "lock", "op-a", Fast, TimeProvider.System);
        var b = new LeaseElector(_fx.Api, ns, "lock", "op-b", Fast, TimeProvider.System);
        var leading = new List<string>();
        a.StartedLeading += () => { lock (leading) leading.Add("a"); };
        b.StartedLeading += () => { lock (leading) leading.Add("b"); };
        string? bSawLeader = null;
        b.NewLeader += l => bSawLeader = l;

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await Eventually.WaitAsync(() => Task.FromResult(a.IsLeader), TimeSpan.FromSeconds(10), "op-a leads");
        var runB = b.RunAsync(stopB.Token);
        await Eventually.WaitAsync(() => Task.FromResult(bSawLeader == "op-a"), TimeSpan.FromSeconds(10), "op-b sees op-a lead");
        // op-a keeps renewing for longer than a lease: op-b must not take over meanwhile.
        var renewedPast = DateTimeOffset.UtcNow + Fast.LeaseDuration * 1.5;
        await Eventually.WaitAsync(async () =>
            RecordOf(await _fx.Api.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/lock", default)) is { HolderIdentity: "op-a", RenewTime: { } renewed }
            && renewed > renewedPast, TimeSpan.FromSeconds(30), "op-a renews for 1.5 lease durations");
        Assert.False(b.IsLeader);
        lock (leading) Assert.Equal(["a"], leading);

        // op-a dies without releasing: op-b takes over once the lease runs out.
        await stopA.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runA);
        await Eventually.WaitAsync(() => Task.FromResult(b.IsLeader), TimeSpan.FromSeconds(20), "op-b takes over");
        var lease = await _fx.Api.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/lock", default);
        Assert.Equal("op-b", (string?)lease?["spec"]?["holderIdentity"]);
        Assert.Equal(1, (int?)lease?["spec"]?["leaseTransitions"]);
        lock (leading) Assert.Equal(["a", "b"], leading);

        await stopB.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runB);
        Assert.True(await b.ReleaseAsync(default));
        Assert.Equal("", (string?)(await _fx.Api.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/lock", default))?["spec"]?["holderIdentity"]);
    }

    private static LeaseRecord RecordOf(System.Text.Json.Nodes.JsonObject? lease) => LeaseRecord.FromSpec(lease?["spec"] as System.Text.Json.Nodes.JsonObject);
}
