using System.Collections.Concurrent;

namespace GitOps.Operator.Dashboard;

/// <summary>
/// Failed sign-ins per client address in a fixed window: after <see cref="DashboardOptions.LoginFailuresPerWindow"/>
/// failures the address is refused until its window ends, so tokens cannot be guessed by the thousand.
/// Other addresses are not affected. At most <see cref="MaxAddresses"/> addresses are tracked (expired ones are dropped first).
/// </summary>
internal sealed class LoginLimiter(DashboardOptions options, TimeProvider time)
{
    public const int MaxAddresses = 10_000;

    private sealed record Window(DateTimeOffset Start, int Failures);

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>How long the address must wait before it may try again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string address)
    {
        if (!_windows.TryGetValue(address, out var w) || w.Failures < options.LoginFailuresPerWindow) return null;
        var left = w.Start + options.LoginWindow - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public void Failed(string address)
    {
        var now = time.GetUtcNow();
        if (_windows.Count >= MaxAddresses) DropExpired(now);
        _windows.AddOrUpdate(address, _ => new Window(now, 1),
            (_, w) => now - w.Start >= options.LoginWindow ? new Window(now, 1) : w with { Failures = w.Failures + 1 });
    }

    private void DropExpired(DateTimeOffset now)
    {
        foreach (var (address, w) in _windows)
            if (now - w.Start >= options.LoginWindow) _windows.TryRemove(address, out _);
        // Still full (many addresses failing at once): forget the oldest rather than grow without bound.
        if (_windows.Count >= MaxAddresses)
            foreach (var (address, _) in _windows.OrderBy(kv => kv.Value.Start).Take(_windows.Count - MaxAddresses + 1))
                _windows.TryRemove(address, out _);
    }
}
