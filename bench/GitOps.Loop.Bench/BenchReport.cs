namespace GitOps.Loop.Bench;

/// <summary>Latency percentiles of one step, milliseconds; Count is how many were measured, Missing how many never happened within the timeout.</summary>
public sealed record Latency(int Count, int Missing, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static Latency Of(IReadOnlyCollection<double> ms, int missing)
    {
        var sorted = ms.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Latency(sorted.Length, missing, Round(At(0.50)), Round(At(0.95)), Round(At(0.99)), Round(sorted.Length == 0 ? double.NaN : sorted[^1]));
    }

    private static double Round(double v) => double.IsNaN(v) ? v : Math.Round(v, 1);
}

/// <summary>What one process used during the run and in each step.</summary>
public sealed record ProcessUsage(
    double PeakRssMiB,
    double SteadyRssMiB,
    double CpuSeconds,
    double ChildCpuSeconds,
    IReadOnlyDictionary<string, double> CpuSecondsByStep,
    IReadOnlyDictionary<string, double> RssMiBAtEndOfStep,
    IReadOnlyList<ProcessSample> Samples);

public sealed record Machine(int Cores, double MemoryMiB, string Cpu, string Os, string Runtime, string? Commit, string? CommitSubject, string? Load);

public sealed record Parameters(int Apps, int ObjectsPerApp, int Repos, int KustomizeApps, int HelmApps, int Workers, int RawConcurrency, double IntervalSeconds, int DriftObjects, int WebhookApps, bool Quick, string Cluster, int Clusters, bool WebhookFiles = true, int ClusterProcesses = 0, bool ServedRequestsMeasured = false,
    string? ClusterCores = null, string? OtherCores = null);

/// <param name="SettledSeconds">On an existing cluster: from the first apply until every Deployment it applied was available (its controllers done too); NaN elsewhere.</param>
public sealed record RawApplyResult(int Objects, int Concurrency, double Seconds, double ObjectsPerSecond, int Errors, double SandboxCpuSeconds, IReadOnlyDictionary<string, RawApplyShare> ByCluster,
    double SettledSeconds = double.NaN, double SettledObjectsPerSecond = double.NaN, double SettledCpuSeconds = double.NaN)
{
    /// <summary>The namespaces applied first, inside the timed step (since session 13; before, untimed).</summary>
    public int Namespaces { get; init; }
    public double NamespaceSeconds { get; init; } = double.NaN;
    /// <summary>The objects' rate without their namespaces' time: the raw limit as runs before session 13 measured it.</summary>
    public double ObjectsAlonePerSecond { get; init; } = double.NaN;
}

public sealed record ColdSyncResult(
    double Seconds,
    double CreateSeconds,
    double FirstAppSeconds,
    double ObjectsPerSecond,
    double RatioToLimit,
    Latency PerAppSyncedAndHealthy,
    int NotSynced,
    IReadOnlyDictionary<string, double> SandboxRequestsByVerb,
    IReadOnlyDictionary<string, double> OperatorRequestsByVerb,
    IReadOnlyDictionary<string, long> GitRequests,
    double RenderProcesses,
    double Reconciles,
    IReadOnlyDictionary<string, RenderTime> RenderByRenderer,
    IReadOnlyDictionary<string, RenderTime> ToolRuns,
    IReadOnlyDictionary<string, double> DesiredStateCache,
    IReadOnlyDictionary<string, ClusterColdSync> ByCluster);

public sealed record ResyncResult(
    double Seconds,
    double IntervalSeconds,
    double Reconciles,
    int AppsReconciled,
    IReadOnlyDictionary<string, double> SandboxRequestsByVerb,
    IReadOnlyDictionary<string, double> OperatorRequestsByVerb,
    double Writes,
    IReadOnlyDictionary<string, long> GitRequests,
    long RemoteLs,
    int MaxLsPerRepo,
    long Fetches,
    double RenderProcesses,
    double RenderStageRuns,
    double RenderCacheMisses,
    IReadOnlyDictionary<string, RenderTime> RenderByRenderer,
    IReadOnlyDictionary<string, double> DesiredStateCache,
    IReadOnlyDictionary<string, ClusterResync> ByCluster);

/// <summary>Render stages of one renderer in a step (gitops_render_duration_seconds): how many, and their mean time.</summary>
public sealed record RenderTime(double Runs, double MeanMs);

public sealed record DriftResult(int Edited, Latency Heal, IReadOnlyDictionary<string, Latency> HealByCluster);

public sealed record WebhookResult(
    int AppsChanged,
    int AppsOnRepo,
    double PushSeconds,
    Latency Applied,
    Latency AppSyncedAtNewRevision,
    double AllAppsOnRepoAtNewRevisionSeconds,
    IReadOnlyDictionary<string, long> GitRequests,
    double RenderProcesses,
    IReadOnlyDictionary<string, double> SandboxRequestsByVerb,
    IReadOnlyDictionary<string, Latency> AppliedByCluster);

public sealed record TargetRow(string Figure, string Target, string Measured, bool? Met, string LimitedBy);

public sealed record BenchResults(
    string StartedAt,
    double TotalSeconds,
    string Command,
    Machine Machine,
    Parameters Parameters,
    RawApplyResult RawApply,
    ColdSyncResult ColdSync,
    ResyncResult Resync,
    DriftResult Drift,
    WebhookResult Webhook,
    ProcessUsage Operator,
    ProcessUsage Sandbox,
    IReadOnlyDictionary<string, ProcessUsage> SandboxByCluster,
    IReadOnlyList<TargetRow> Targets,
    IReadOnlyList<string> Notes);

/// <summary>Where the results were written.</summary>
public sealed record BenchOutput(BenchResults Results, string JsonPath, string MarkdownPath);
