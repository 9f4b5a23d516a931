using System.Net;

namespace GitOps.Operator.Webhooks;

/// <summary>
/// A token bucket per source address: <see cref="WebhookOptions.Burst"/> requests at once, refilled
/// at <see cref="WebhookOptions.RatePerSecond"/>. Full buckets are forgotten when the table grows,
/// so a flood of addresses cannot grow memory without bound.
/// </summary>
public sealed class SourceRateLimiter(WebhookOptions options, TimeProvider time)
{
    private const int MaxTracked = 10_000;
    private readonly Dictionary<string, (double Tokens, long At)> _buckets = [];

    public bool TryAcquire(IPAddress? address)
    {
        var key = address?.ToString() ?? "unknown";
        var now = time.GetTimestamp();
        lock (_buckets)
        {
            if (_buckets.Count >= MaxTracked) Sweep(now);
            var (tokens, at) = _buckets.TryGetValue(key, out var b) ? b : (options.Burst, now);
            tokens = Math.Min(options.Burst, tokens + time.GetElapsedTime(at, now).TotalSeconds * options.RatePerSecond);
            if (tokens < 1)
            {
                _buckets[key] = (tokens, now);
                return false;
            }
            _buckets[key] = (tokens - 1, now);
            return true;
        }
    }

    private void Sweep(long now)
    {
        foreach (var (key, (tokens, at)) in _buckets.ToList())
            if (tokens + time.GetElapsedTime(at, now).TotalSeconds * options.RatePerSecond >= options.Burst) _buckets.Remove(key);
        if (_buckets.Count >= MaxTracked) _buckets.Clear();
    }
}
