namespace GitOps.Engine.Operation;

/// <summary>How often and how soon a failed automated sync is tried again: the delay grows by <see cref="Factor"/> up to <see cref="Max"/>.</summary>
public sealed record RetryPolicy(int Limit, TimeSpan Base, double Factor, TimeSpan Max)
{
    public static RetryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(3));

    /// <summary>The delay before attempt number <paramref name="attempt"/> (1 = the first retry); null when no attempt is left.</summary>
    public TimeSpan? DelayBefore(int attempt)
    {
        if (attempt > Limit || attempt < 1) return null;
        var ticks = Base.Ticks * Math.Pow(Math.Max(1, Factor), attempt - 1);
        var cap = Max > TimeSpan.Zero ? Max.Ticks : long.MaxValue;
        return TimeSpan.FromTicks((long)Math.Min(ticks, cap));
    }
}
