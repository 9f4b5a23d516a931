using GitOps.Operator.Webhooks;
using Serilog.Events;

namespace GitOps.Operator.Hosting;

/// <summary>Settings of one operator process. Every timeout and interval lives here.</summary>
public sealed record OperatorOptions
{
    public static OperatorOptions Default { get; } = new();

    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public string Listen { get; init; } = "127.0.0.1:8080";

    /// <summary>Watch Applications in this namespace only; null for all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Manage objects only in these namespaces (--managed-namespaces); everywhere when unrestricted.</summary>
    public Cluster.ManagedScope ManagedScope { get; init; } = Cluster.ManagedScope.Everywhere;
    public int Workers { get; init; } = 4;

    /// <summary>
    /// The service account (in each Application's namespace) that Applications naming none act as
    /// (--default-service-account); null: those act as the operator itself.
    /// </summary>
    public string? DefaultServiceAccount { get; init; }

    public string Identity { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
    public string LeaseName { get; init; } = "gitops-operator";

    /// <summary>This replica's share of the Applications (--shards, --shard); all of them by default.</summary>
    public Controller.Sharding Sharding { get; init; } = Controller.Sharding.Single;

    /// <summary>What the controller takes of these options.</summary>
    public Controller.ControllerOptions ForController => new(Namespace, Workers, Sharding, DefaultServiceAccount);

    /// <summary>The Lease this replica competes for: one per shard.</summary>
    public string EffectiveLeaseName => Sharding.LeaseName(LeaseName);
    public string LeaseNamespace { get; init; } = "default";

    /// <summary>Accept destination-cluster kubeconfigs with exec credential plugins (--allow-kubeconfig-exec); refused by default.</summary>
    public bool AllowKubeconfigExec { get; init; }

    /// <summary>How destination clusters are reached: registered clusters' Secrets live in the operator's own namespace (the Lease's).</summary>
    public Cluster.Remote.ClusterOptions Clusters => Cluster.Remote.ClusterOptions.Default with { Namespace = LeaseNamespace, AllowExec = AllowKubeconfigExec };
    public bool LeaderElection { get; init; } = true;
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "gitops-operator-cache");
    public long MaxCacheBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Deadlines of Git work: ref listing, a whole fetch (--git-fetch-timeout), a stalled connection, writing a tree.</summary>
    public Source.GitSourceTimeouts GitTimeouts { get; init; } = Source.GitSourceTimeouts.Default;

    /// <summary>How long to wait for CRDs to be Established and namespaces Active before applying what needs them.</summary>
    public TimeSpan EstablishTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A second destination for every log line (tests read it to prove secrets never appear).</summary>
    public TextWriter? LogCopy { get; init; }

    /// <summary>Logs as JSON (in a cluster) rather than text (in a terminal).</summary>
    public bool JsonLogs { get; init; } = Console.IsOutputRedirected;

    /// <summary>The least severe log level written (--log-level).</summary>
    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>The push webhook receiver: secret ref (--webhook-secret-ref), body cap, rate limit.</summary>
    public WebhookOptions Webhooks { get; init; } = WebhookOptions.Default;

    /// <summary>How notifications (Notification resources) are queued, sent, retried and limited.</summary>
    public GitOps.Operator.Notifications.NotificationOptions Notifications { get; init; } = GitOps.Operator.Notifications.NotificationOptions.Default;

    /// <summary>The web dashboard at / (--no-dashboard, --dashboard-anonymous).</summary>
    public Dashboard.DashboardOptions Dashboard { get; init; } = GitOps.Operator.Dashboard.DashboardOptions.Default;
}
