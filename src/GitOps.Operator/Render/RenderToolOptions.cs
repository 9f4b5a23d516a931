namespace GitOps.Operator.Render;

/// <summary>
/// Where the render tools are and how far they are trusted. A null path means "look on PATH":
/// kustomize is <c>kustomize</c> when present, else <c>kubectl kustomize</c>. Every timeout and cap
/// of a tool run lives here.
/// </summary>
public sealed record RenderToolOptions
{
    public static RenderToolOptions Default { get; } = new();

    /// <summary>A standalone kustomize binary; preferred over kubectl when set or on PATH.</summary>
    public string? KustomizePath { get; init; }

    /// <summary>kubectl, used as <c>kubectl kustomize</c> when there is no standalone kustomize.</summary>
    public string? KubectlPath { get; init; }

    public string? HelmPath { get; init; }

    /// <summary>A tool run that takes longer is killed (with its process tree) and the render fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A tool that prints more than this on stdout is killed and the render fails.</summary>
    public long MaxOutputBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How many tool processes may run at once across every Application.</summary>
    public int MaxConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How many rendered outputs the render cache keeps (least recently used goes first).</summary>
    public int CacheEntries { get; init; } = 512;

    /// <summary>Total bytes of rendered text the render cache keeps.</summary>
    public long CacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Private scratch space: HELM_* homes, copies for kustomize overrides, chart archives.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "gitops-render");

    /// <summary>Remote kustomize bases (URLs in resources) are refused unless this is set.</summary>
    public bool AllowRemoteBases { get; init; }

    /// <summary>How long a Helm repository's index.yaml is trusted before it is fetched again.</summary>
    public TimeSpan ChartIndexTtl { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>What the chart sources (Helm repositories, OCI registries) take of these options.</summary>
    public Source.ChartSourceOptions Charts => new(WorkDirectory, ChartIndexTtl);

    /// <summary>
    /// GOGC for the tool processes (kubectl, kustomize and helm are Go programs). A render lives about
    /// 60 ms and most of its CPU is package initialisation, whose allocations trigger several
    /// collections at Go's default of 100; at 400 a render costs about a fifth less CPU (bench/README.md).
    /// </summary>
    public string ToolGoGC { get; init; } = "400";

    /// <summary>GOMEMLIMIT for the tool processes: the bound that keeps a large render's heap in check under <see cref="ToolGoGC"/>.</summary>
    public string ToolGoMemoryLimit { get; init; } = "512MiB";

    /// <summary>Reads GITOPS_KUSTOMIZE, GITOPS_KUBECTL and GITOPS_HELM (tool paths), GITOPS_RENDER_GOGC and GITOPS_RENDER_GOMEMLIMIT over the defaults.</summary>
    public static RenderToolOptions FromEnvironment() => Default with
    {
        KustomizePath = Env("GITOPS_KUSTOMIZE"),
        KubectlPath = Env("GITOPS_KUBECTL"),
        HelmPath = Env("GITOPS_HELM"),
        ToolGoGC = Env("GITOPS_RENDER_GOGC") ?? Default.ToolGoGC,
        ToolGoMemoryLimit = Env("GITOPS_RENDER_GOMEMLIMIT") ?? Default.ToolGoMemoryLimit,
    };

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    /// <summary>The kustomize command line prefix: (file, leading arguments).</summary>
    public (string File, string[] Args) KustomizeCommand()
    {
        if (KustomizePath is not null) return (KustomizePath, ["build"]);
        if (KubectlPath is not null) return (KubectlPath, ["kustomize"]);
        if (FindOnPath("kustomize") is { } k) return (k, ["build"]);
        if (FindOnPath("kubectl") is { } kubectl) return (kubectl, ["kustomize"]);
        throw new RenderException("neither kustomize nor kubectl was found on PATH (or configure their paths)");
    }

    public string HelmCommand() =>
        HelmPath ?? FindOnPath("helm") ?? throw new RenderException("helm was not found on PATH (or configure its path)");

    internal static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
