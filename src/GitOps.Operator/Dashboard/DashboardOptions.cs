namespace GitOps.Operator.Dashboard;

/// <summary>Settings of the web dashboard. Every interval lives here.</summary>
public sealed record DashboardOptions
{
    public static DashboardOptions Default { get; } = new();

    /// <summary>Serve the dashboard at / (--no-dashboard turns it off).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Let a visitor without a token read every Application (never act) (--dashboard-anonymous).</summary>
    public bool Anonymous { get; init; }

    /// <summary>
    /// The path the dashboard lives under, e.g. "/gitops" behind an Ingress that routes that prefix
    /// (--dashboard-path-base); "" serves it at /. Every page, asset, event stream and form is under it.
    /// </summary>
    public string PathBase { get; init; } = "";

    /// <summary>A path base as the options hold it ("/a/b", or "" for none); null when it is not a path.</summary>
    public static string? NormalizePathBase(string? value)
    {
        var trimmed = (value ?? "").Trim().TrimEnd('/');
        if (trimmed.Length == 0) return "";
        if (!trimmed.StartsWith('/') || trimmed.Contains("//", StringComparison.Ordinal)) return null;
        return trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~') ? trimmed : null;
    }

    /// <summary>How long a TokenReview or SubjectAccessReview answer is reused for the same token.</summary>
    public TimeSpan ReviewTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Review answers kept at most (least recently used out first).</summary>
    public int ReviewCacheEntries { get; init; } = 10_000;

    /// <summary>How long changes are gathered before they are pushed to a browser (one message per app per window).</summary>
    public TimeSpan PushWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A comment sent on an idle event stream so proxies keep it open.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Failed sign-ins (token paste) allowed from one client address per <see cref="LoginWindow"/>; then 429 until the window ends.</summary>
    public int LoginFailuresPerWindow { get; init; } = 10;

    public TimeSpan LoginWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How many recent Events of an Application its page shows.</summary>
    public int RecentEvents { get; init; } = 20;
}
