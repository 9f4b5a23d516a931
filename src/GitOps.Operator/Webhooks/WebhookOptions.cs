namespace GitOps.Operator.Webhooks;

/// <summary>Limits of the webhook receiver. Every interval and cap lives here.</summary>
public sealed record WebhookOptions
{
    public static WebhookOptions Default { get; } = new();

    /// <summary>The Secret holding the webhook secrets, as NAMESPACE/NAME; null = every webhook refused.</summary>
    public string? SecretRef { get; init; }

    /// <summary>Bodies larger than this are refused with 413 before any parsing.</summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Requests per second one source address may make on average ...</summary>
    public double RatePerSecond { get; init; } = 5;

    /// <summary>... and at most this many at once.</summary>
    public int Burst { get; init; } = 30;

    /// <summary>How long a read of the secret is trusted; a rotated secret is seen at most this late.</summary>
    public TimeSpan SecretRefresh { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After a signature mismatch the secret is read again at once, but not more often than this.</summary>
    public TimeSpan SecretRereadOnFailure { get; init; } = TimeSpan.FromSeconds(1);
}
