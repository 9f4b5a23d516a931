using System.Diagnostics;

namespace GitOps.Loop.Bench;

/// <summary>Waits on a condition, polling every 50 ms, until it holds or a deadline passes: no fixed sleeps.</summary>
internal static class Waiting
{
    /// <summary>Returns when <paramref name="condition"/> holds; at the deadline throws <see cref="BenchException"/>, or returns when <paramref name="throwOnTimeout"/> is false.</summary>
    public static async Task ForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct, bool throwOnTimeout = true)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                if (throwOnTimeout) throw new BenchException($"gave up after {timeout.TotalSeconds:0}s waiting for {what}");
                return;
            }
            await Task.Delay(50, ct);
        }
    }
}
