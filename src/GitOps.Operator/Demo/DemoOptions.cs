namespace GitOps.Operator.Demo;

/// <summary>Settings of one `gitops demo` run. Every timeout lives here.</summary>
public sealed record DemoOptions
{
    public static DemoOptions Default { get; } = new();

    /// <summary>Plain lines and exit after the rollout (scripts, CI), instead of a live display that runs until Ctrl-C.</summary>
    public bool Interactive { get; init; } = true;

    /// <summary>Where the sandbox kubeconfig, the Git server, the work tree and the operator log go (deleted at the end).</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Port of the sandbox API (0 picks a free one).</summary>
    public int SandboxPort { get; init; }

    /// <summary>Namespace of the demo's Applications (the kubeconfig's default namespace).</summary>
    public string Namespace { get; init; } = "gitops-demo";

    /// <summary>How long each stage (first sync, heal, rollout) may take before the demo fails.</summary>
    public TimeSpan StageTimeout { get; init; } = TimeSpan.FromSeconds(90);


    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long simulated workloads take to become ready in the sandbox.</summary>
    public TimeSpan WorkloadReadyDelay { get; init; } = TimeSpan.FromMilliseconds(800);
}
