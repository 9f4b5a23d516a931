using GitOps.Operator.Controller;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Operator.Tests.Controller;

public sealed class WorkQueueTests
{
    private static WorkQueue<string> NewQueue(FakeTimeProvider time) =>
        new(new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)), time);

    private static async Task<string?> TryGetAsync(WorkQueue<string> queue)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var (ok, item) = await queue.GetAsync(cts.Token);
        return ok ? item : null;
    }

    [Fact]
    public async Task Add_SameItemTwice_ProcessedOnce()
    {
        var queue = NewQueue(new FakeTimeProvider());
        queue.Add("a");
        queue.Add("a");
        Assert.Equal(1, queue.Length);
        Assert.Equal("a", await TryGetAsync(queue));
        Assert.Null(await TryGetAsync(queue));
    }

    [Fact]
    public async Task AddUrgent_BehindNormalItems_TakenFirstInUrgentOrder()
    {
        var queue = NewQueue(new FakeTimeProvider());
        queue.Add("n1");
        queue.Add("n2");
        queue.Add("u1", urgent: true);
        queue.Add("u2", urgent: true);

        var taken = new List<string?> { await TryGetAsync(queue), await TryGetAsync(queue), await TryGetAsync(queue), await TryGetAsync(queue) };

        Assert.Equal(new List<string?> { "u1", "u2", "n1", "n2" }, taken);
        Assert.Null(await TryGetAsync(queue));
    }

    [Fact]
    public async Task AddUrgent_ItemAlreadyQueuedNormally_MovesUpOnce()
    {
        var queue = NewQueue(new FakeTimeProvider());
        queue.Add("a");
        queue.Add("b");
        queue.Add("b", urgent: true);
        queue.Add("b", urgent: true);
        queue.Add("b");

        Assert.Equal(2, queue.Length);
        Assert.Equal("b", await TryGetAsync(queue));
        Assert.Equal("a", await TryGetAsync(queue));
        Assert.Null(await TryGetAsync(queue));
    }

    [Fact]
    public async Task AddUrgent_WhileProcessing_RequeuedAheadAfterDone()
    {
        var queue = NewQueue(new FakeTimeProvider());
        queue.Add("a");
        var item = await TryGetAsync(queue);
        queue.Add("n");
        queue.Add("a", urgent: true);
        Assert.Equal(1, queue.Length);

        queue.Done(item!);

        Assert.Equal("a", await TryGetAsync(queue));
        Assert.Equal("n", await TryGetAsync(queue));
        queue.Done("a");
        queue.Add("a");
        queue.Add("m");
        Assert.Equal("a", await TryGetAsync(queue));
    }

    [Fact]
    public async Task Add_WhileProcessing_RequeuedOnlyAfterDone()
    {
        var queue = NewQueue(new FakeTimeProvider());
        queue.Add("a");
        var item = await TryGetAsync(queue);
        queue.Add("a");
        Assert.Equal(0, queue.Length);
        Assert.Null(await TryGetAsync(queue));
        queue.Done(item!);
        Assert.Equal("a", await TryGetAsync(queue));
    }

    [Fact]
    public async Task AddAfter_BeforeDelay_NotReady()
    {
        var time = new FakeTimeProvider();
        var queue = NewQueue(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        Assert.Null(await TryGetAsync(queue));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, queue.Length);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("a", await TryGetAsync(queue));
    }

    [Fact]
    public void AddAfter_EarlierDelayWins_OneWaitingEntry()
    {
        var time = new FakeTimeProvider();
        var queue = NewQueue(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        Assert.Equal(1, queue.Waiting);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public async Task ShutDown_UnblocksGet()
    {
        var queue = NewQueue(new FakeTimeProvider());
        var get = queue.GetAsync(CancellationToken.None).AsTask();
        queue.ShutDown();
        var (ok, _) = await get.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(ok);
    }

    public static TheoryData<string, int, double> Backoff_TestData => new()
    {
        { "first failure", 1, 5 },
        { "second failure", 2, 10 },
        { "fifth failure", 5, 80 },
        { "capped", 40, 1_000_000 },
    };

    [Theory]
    [MemberData(nameof(Backoff_TestData))]
    public void ItemExponential_AfterFailures_DoublesUpToCap(string caseName, int failures, double expectedMs)
    {
        _ = caseName;
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        var last = TimeSpan.Zero;
        for (var i = 0; i < failures; i++) last = limiter.When("a");
        Assert.Equal(expectedMs, last.TotalMilliseconds, 3);
        limiter.Forget("a");
        Assert.Equal(5, limiter.When("a").TotalMilliseconds, 3);
    }

    [Fact]
    public void Bucket_BeyondBurst_Delays()
    {
        var time = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<string>(10, 2, time);
        Assert.Equal(TimeSpan.Zero, limiter.When("a"));
        Assert.Equal(TimeSpan.Zero, limiter.When("b"));
        Assert.Equal(0.1, limiter.When("c").TotalSeconds, 3);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, limiter.When("d"));
    }
}
