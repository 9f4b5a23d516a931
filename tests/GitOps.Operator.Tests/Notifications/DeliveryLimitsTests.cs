using GitOps.Operator.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Operator.Tests.Notifications;

public class DeliveryLimitsTests
{
    private static readonly NotificationEvent Synced = new(NotificationEventKind.Synced, "shop", "web", "", "abc", "", "Synced", "Healthy", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Dedup_SameKeyWithinWindow_OnceThenAgainAfter()
    {
        var time = new FakeTimeProvider();
        var dedup = new DeliveryDedup(TimeSpan.FromMinutes(10), time);
        var key = DeliveryDedup.Key("shop/slack", Synced);

        Assert.True(dedup.FirstTime(key));
        Assert.False(dedup.FirstTime(key));
        Assert.True(dedup.FirstTime(DeliveryDedup.Key("shop/slack", Synced with { Revision = "def" })));
        Assert.True(dedup.FirstTime(DeliveryDedup.Key("shop/teams", Synced)));
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(dedup.FirstTime(key));
    }

    [Fact]
    public void Dedup_Released_SentAgainWithinTheWindow_OthersStillDeduplicated()
    {
        var dedup = new DeliveryDedup(TimeSpan.FromMinutes(10), new FakeTimeProvider());
        var failed = DeliveryDedup.Key("shop/slack", Synced);
        var sent = DeliveryDedup.Key("shop/teams", Synced);
        Assert.True(dedup.FirstTime(failed));
        Assert.True(dedup.FirstTime(sent));

        dedup.Release(failed);

        Assert.True(dedup.FirstTime(failed));
        Assert.False(dedup.FirstTime(failed));
        Assert.False(dedup.FirstTime(sent));
    }

    [Fact]
    public void RateLimiter_BurstUsed_WaitsForTheNextToken()
    {
        var time = new FakeTimeProvider();
        var limiter = new TargetRateLimiter(perMinute: 6, burst: 2, time);

        Assert.Equal(TimeSpan.Zero, limiter.Reserve("shop/slack"));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("shop/slack"));
        Assert.Equal(TimeSpan.FromSeconds(10), limiter.Reserve("shop/slack"));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("shop/teams"));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("shop/slack"));
    }

    public static TheoryData<string, int, double> RetryDelay_TestData() => new()
    {
        { "first retry", 2, 2 },
        { "second retry doubles", 3, 4 },
        { "fourth retry", 5, 16 },
        { "capped", 12, 120 },
    };

    [Theory]
    [MemberData(nameof(RetryDelay_TestData))]
    public void RetryDelay_Attempt_Exponential(string caseName, int attempt, double seconds)
    {
        Assert.True(TimeSpan.FromSeconds(seconds) == NotificationOptions.Default.RetryDelay(attempt), caseName);
    }
}
