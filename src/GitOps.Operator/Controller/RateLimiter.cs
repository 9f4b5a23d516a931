namespace GitOps.Operator.Controller;

/// <summary>How long an item waits before its next retry.</summary>
public interface IRateLimiter<in T>
{
    TimeSpan When(T item);
    void Forget(T item);
    int NumRequeues(T item);
}

/// <summary>Per-item exponential backoff: base * 2^failures, capped (client-go's ItemExponentialFailureRateLimiter).</summary>
public sealed class ItemExponentialRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T> where T : notnull
{
    private readonly Dictionary<T, int> _failures = [];

    public TimeSpan When(T item)
    {
        lock (_failures)
        {
            var n = _failures.GetValueOrDefault(item);
            _failures[item] = n + 1;
            var delay = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(n, 62));
            return delay >= maxDelay.TotalMilliseconds ? maxDelay : TimeSpan.FromMilliseconds(delay);
        }
    }

    public void Forget(T item)
    {
        lock (_failures) _failures.Remove(item);
    }

    public int NumRequeues(T item)
    {
        lock (_failures) return _failures.GetValueOrDefault(item);
    }
}

/// <summary>A global token bucket shared by all items (client-go's BucketRateLimiter).</summary>
public sealed class BucketRateLimiter<T>(double perSecond, int burst, TimeProvider time) : IRateLimiter<T>
{
    private readonly object _gate = new();
    private double _tokens = burst;
    private DateTimeOffset _last = time.GetUtcNow();

    public TimeSpan When(T item)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _tokens = Math.Min(burst, _tokens + (now - _last).TotalSeconds * perSecond);
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / perSecond);
        }
    }

    public void Forget(T item) { }

    public int NumRequeues(T item) => 0;
}

/// <summary>The larger delay of several limiters (client-go's MaxOfRateLimiter).</summary>
public sealed class MaxOfRateLimiter<T>(params IRateLimiter<T>[] limiters) : IRateLimiter<T>
{

    public TimeSpan When(T item) => limiters.Select(l => l.When(item)).Max();

    public void Forget(T item)
    {
        foreach (var l in limiters) l.Forget(item);
    }

    public int NumRequeues(T item) => limiters.Max(l => l.NumRequeues(item));
}
