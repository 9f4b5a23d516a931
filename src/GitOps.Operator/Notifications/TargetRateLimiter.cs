using System.Collections.Concurrent;

namespace GitOps.Operator.Notifications;

/// <summary>One token bucket per Notification: how long a delivery must wait before it may go (zero: now, and the token is taken).</summary>
public sealed class TargetRateLimiter(double perMinute, int burst, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public TimeSpan Reserve(string target)
    {
        var bucket = _buckets.GetOrAdd(target, _ => new Bucket(burst, time.GetUtcNow()));
        lock (bucket)
        {
            var now = time.GetUtcNow();
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (now - bucket.At).TotalMinutes * perMinute);
            bucket.At = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return TimeSpan.Zero;
            }
            return TimeSpan.FromMinutes((1 - bucket.Tokens) / perMinute);
        }
    }

    private sealed class Bucket(double tokens, DateTimeOffset at)
    {
        public double Tokens { get; set; } = tokens;
        public DateTimeOffset At { get; set; } = at;
    }
}
