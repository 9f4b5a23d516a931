namespace GitOps.Operator.Dashboard;

/// <summary>Settings of the web dashboard. Every interval lives here.</summary>
public sealed record DashboardOptions
{
    public static DashboardOptions Default { get; } = new();

    /// <summary>Serve the dashboard at / (--no-dashboard turns it off).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Let a visitor without a token read every Application (never act) (--dashboard-anonymous).</summary>
    public bool Anonymous { get; init; }

    /// <summary>How long a TokenReview or SubjectAccessReview answer is reused for the same token.</summary>
    public TimeSpan ReviewTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Review answers kept at most (least recently used out first).</summary>
    public int ReviewCacheEntries { get; init; } = 10_000;

    /// <summary>How long changes are gathered before they are pushed to a browser (one message per app per window).</summary>
    public TimeSpan PushWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A comment sent on an idle event stream so proxies keep it open.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How many recent Events of an Application its page shows.</summary>
    public int RecentEvents { get; init; } = 20;
}
