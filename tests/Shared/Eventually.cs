namespace GitOps.Testing;

/// <summary>Waits on a condition with a deadline, polling: never a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan? deadline = null, string? what = null) where T : class
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await probe() is { } value) return value;
            }
            catch (Exception e) { last = e; }
            await Task.Delay(25);
        }
        throw new TimeoutException($"condition not met in time: {what ?? "(unnamed)"}", last);
    }

    public static Task WaitAsync(Func<Task<bool>> probe, TimeSpan? deadline = null, string? what = null) =>
        WaitAsync<object>(async () => await probe() ? new object() : null, deadline, what);

    /// <summary>Like <see cref="WaitAsync(Func{Task{bool}}, TimeSpan?, string?)"/>, but says whether the condition was met instead of throwing.</summary>
    public static async Task<bool> TryAsync(Func<Task<bool>> probe, TimeSpan deadline)
    {
        try
        {
            await WaitAsync(probe, deadline);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
