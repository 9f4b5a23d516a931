namespace GitOps.Engine.Health;

/// <summary>
/// Health codes ordered from best to worst, as gitops-engine orders them (<c>healthOrder</c>):
/// Healthy &lt; Suspended &lt; Progressing &lt; Missing &lt; Degraded &lt; Unknown. The worst of several is the maximum.
/// </summary>
public enum HealthCode
{
    Healthy = 0,
    Suspended = 1,
    Progressing = 2,
    Missing = 3,
    Degraded = 4,
    Unknown = 5,
}

/// <summary>The health of one object (or an aggregate), with a message for people.</summary>
public sealed record HealthStatus(HealthCode Code, string Message = "")
{
    public static HealthStatus Healthy(string message = "") => new(HealthCode.Healthy, message);

    public static HealthStatus Progressing(string message) => new(HealthCode.Progressing, message);

    public static HealthStatus Degraded(string message) => new(HealthCode.Degraded, message);

    public static HealthStatus Suspended(string message) => new(HealthCode.Suspended, message);

    /// <summary>The worst status, or null for none; among equally bad ones the first wins.</summary>
    public static HealthStatus? Worst(IEnumerable<HealthStatus?> statuses) =>
        statuses.OfType<HealthStatus>().Aggregate((HealthStatus?)null, (w, s) => w is null || s.Code > w.Code ? s : w);

    public override string ToString() => Message.Length == 0 ? Code.ToString() : $"{Code}: {Message}";
}
