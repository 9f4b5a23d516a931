namespace GitOps.Operator.Controller;

public static class RateLimiters
{
    /// <summary>client-go's default: per-item 5 ms → 1000 s, and a 10 qps / burst 100 bucket overall.</summary>
    public static IRateLimiter<T> Default<T>(TimeProvider time) where T : notnull => new MaxOfRateLimiter<T>(
        new ItemExponentialRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
        new BucketRateLimiter<T>(10, 100, time));
}
