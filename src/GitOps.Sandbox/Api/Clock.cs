namespace GitOps.Sandbox.Api;

/// <summary>Time for timestamps; tests may replace it.</summary>
public interface IClock
{
    DateTimeOffset Now { get; }
}

public sealed class SystemClock : IClock
{
    public static SystemClock Instance { get; } = new();

    public DateTimeOffset Now => DateTimeOffset.UtcNow;
}
