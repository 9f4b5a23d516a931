using System.Globalization;

namespace GitOps.Loop.Bench;

/// <summary>The parameters of one benchmark run. Every count, interval and timeout lives here.</summary>
public sealed record BenchOptions
{
    public static BenchOptions Default { get; } = new();

    /// <summary>About 30 apps, under a minute: what the test command runs so the benchmark cannot rot.</summary>
    public static BenchOptions QuickRun { get; } = new()
    {
        Quick = true,
        Apps = 30,
        Repos = 2,
        ResyncInterval = TimeSpan.FromSeconds(8),
        DriftObjects = 10,
        WebhookApps = 5,
        StageTimeout = TimeSpan.FromSeconds(60),
    };

    public bool Quick { get; init; }

    /// <summary>The command-line arguments given, for the report.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Applications to create (--apps).</summary>
    public int Apps { get; init; } = 1000;

    /// <summary>Objects per Application (--objects): Deployment, Service, ConfigMap, ServiceAccount, Role, RoleBinding, HPA, PDB, NetworkPolicy, then ConfigMaps.</summary>
    public int Objects { get; init; } = 10;

    /// <summary>Git repositories the apps are spread over (--repos).</summary>
    public int Repos { get; init; } = 4;

    /// <summary>Every Nth app is a Kustomize app (a kustomization.yaml over the same files); 0 = none (--kustomize-every).</summary>
    public int KustomizeEvery { get; init; } = 10;

    /// <summary>Every Nth app (offset from the Kustomize ones) is a Helm chart of the same files (--helm-every); 0 = none.</summary>
    public int HelmEvery { get; init; } = 10;

    /// <summary>
    /// API servers (--clusters): the operator's own sandbox and N-1 more registered in it as clusters
    /// bench-1..; app i goes to cluster i % N (cluster 0 = the operator's own, no clusterName).
    /// </summary>
    public int Clusters { get; init; } = 1;

    /// <summary>The operator's --workers (--workers).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>
    /// Concurrent requests of the raw-apply loop (--raw-concurrency); 0 = the operator's own maximum
    /// of in-flight applies: workers x 8 (PlanExecutor applies up to 8 objects of one app at once).
    /// </summary>
    public int RawConcurrency { get; init; }

    /// <summary>spec.interval of every Application: the no-op resync pass (--interval).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Live objects edited by hand to measure self-heal (--drift).</summary>
    public int DriftObjects { get; init; } = 100;

    /// <summary>Time between two drift edits (--drift-spacing).</summary>
    public TimeSpan DriftSpacing { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Apps whose files one pushed commit changes (--webhook-apps).</summary>
    public int WebhookApps { get; init; } = 50;

    /// <summary>Whether the push webhook lists the changed files in commits[] as GitHub does (--webhook-files false: as Bitbucket, no list).</summary>
    public bool WebhookFiles { get; init; } = true;

    /// <summary>How long any one stage may take before the run gives up.</summary>
    public TimeSpan StageTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the operator's and the sandbox's RSS and CPU time are read.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Where the results JSON and Markdown go (--out); default bench/results of the checkout.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Appended to the results file names: &lt;date&gt;-&lt;apps&gt;-&lt;tag&gt; (--tag), for variants of a run.</summary>
    public string? Tag { get; init; }

    /// <summary>Work directory (repos, kubeconfig, logs, caches); default a temp directory deleted at the end (--workdir keeps it).</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The gitops.dll (or gitops executable) to run the sandbox and the operator from (--gitops).</summary>
    public string? GitOpsPath { get; init; }

    /// <summary>Extra environment variables for the operator process only, e.g. DOTNET_gcServer=0 (--operator-env K=V, repeatable).</summary>
    public IReadOnlyDictionary<string, string> OperatorEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Run against this existing cluster (its current context) instead of fresh sandboxes (--kubeconfig):
    /// every figure that does not need the sandbox's own metrics or process; requests by verb are the operator's count.
    /// </summary>
    public string? Kubeconfig { get; init; }

    /// <summary>
    /// Stand in for the kubelet (--pod-stand-in true): mark the apps' Pods Running and Ready, for a cluster with
    /// no nodes (kube-apiserver and kube-controller-manager alone), whose Deployments could not become available.
    /// </summary>
    public bool PodStandIn { get; init; }

    /// <summary>
    /// The processes of the existing cluster to measure as its API server (--cluster-pid PID, repeatable, with
    /// --kubeconfig): kube-apiserver, etcd, kube-controller-manager on this machine, their CPU and RSS summed.
    /// </summary>
    public IReadOnlyList<int> ClusterPids { get; init; } = [];

    /// <summary>
    /// The API server's cores (--cluster-cores LIST): each sandbox, or the --cluster-pid processes, on these, and the
    /// benchmark with the operator and its renderer processes on the machine's other cores; null: all share every core.
    /// </summary>
    public CoreSplit? Cores { get; init; }

    public int EffectiveRawConcurrency => RawConcurrency > 0 ? RawConcurrency : Workers * 8;

    public const string Usage = """
        GitOps.Loop.Bench: cost and speed of the reconcile loop (issue 8).
        GitOps.Loop.Bench stand-ins --kubeconfig F: only the kubelet and HPA stand-ins, on every namespace of a
          control plane with no nodes, until Ctrl-C (for the test suites run against it).
          --apps N             Applications (default 1000)
          --objects N          objects per Application (default 10)
          --quick              about 30 apps, under a minute (what the tests run)
          --repos N            Git repositories (default 4; quick 2)
          --kustomize-every N  every Nth app renders with Kustomize (default 10; 0 = none)
          --helm-every N       every Nth app is a Helm chart (default 10; 0 = none)
          --workers N          operator workers (default 4)
          --clusters N         sandboxes: the operator's own and N-1 registered clusters bench-1..; app i goes to
                               cluster i % N (default 1; not with --kubeconfig)
          --raw-concurrency N  requests in flight in the raw-apply loop (default workers x 8)
          --interval S         spec.interval in seconds: the no-op resync pass (default 60; quick 8)
          --drift K            live objects edited by hand (default 100; quick 10)
          --webhook-apps M     apps one pushed commit changes (default 50; quick 5)
          --webhook-files B    the webhook lists the changed files as GitHub does (default true; false: no list)
          --out DIR            results directory (default bench/results)
          --tag NAME           results files <date>-<apps>-NAME (a variant of a run)
          --workdir DIR        keep repos, kubeconfig and logs here
          --gitops PATH        gitops.dll to run the sandbox and the operator from
          --operator-env K=V   an environment variable for the operator process only (repeatable)
          --kubeconfig F       run against this existing cluster (current context) instead of sandboxes;
                               creates a CRD, namespaces <app>, raw-<app> and gitops-bench, deletes all but the CRD
          --pod-stand-in B     mark the apps' Pods Running and Ready, standing in for the kubelet on a cluster with
                               no nodes (default false; with --kubeconfig)
          --cluster-pid PID    a process of that cluster on this machine (apiserver, etcd, controller manager),
                               measured as the API server; repeatable (with --kubeconfig)
          --cluster-cores LIST the API server on these cores (e.g. 0 or 0-1; each sandbox, or the --cluster-pid
                               processes), the benchmark, operator and renderer processes on the others (taskset)
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a one-line message.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--quick") ? QuickRun : Default;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quick") continue;
            if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
            var value = args[++i];
            bool Bool() => bool.TryParse(value, out var b) ? b : throw new ArgumentException($"{name} needs true or false, got '{value}'");
            int Int() => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} needs a whole number, got '{value}'");
            options = name switch
            {
                "--apps" => options with { Apps = Math.Max(1, Int()) },
                "--objects" => options with { Objects = Math.Max(1, Int()) },
                "--repos" => options with { Repos = Math.Max(1, Int()) },
                "--kustomize-every" => options with { KustomizeEvery = Int() },
                "--helm-every" => options with { HelmEvery = Int() },
                "--workers" => options with { Workers = Math.Max(1, Int()) },
                "--clusters" => options with { Clusters = Math.Max(1, Int()) },
                "--raw-concurrency" => options with { RawConcurrency = Int() },
                "--interval" => options with { ResyncInterval = TimeSpan.FromSeconds(Math.Max(1, Int())) },
                "--drift" => options with { DriftObjects = Int() },
                "--webhook-apps" => options with { WebhookApps = Int() },
                "--webhook-files" => options with { WebhookFiles = Bool() },
                "--pod-stand-in" => options with { PodStandIn = Bool() },
                "--cluster-pid" => options with { ClusterPids = [.. options.ClusterPids, Int() is var pid && Directory.Exists($"/proc/{pid}") ? pid : throw new ArgumentException($"--cluster-pid {value}: no such process")] },
                "--cluster-cores" => options with { Cores = CoreSplit.Of(value, CoreSplit.MachineCores()) },
                "--out" => options with { OutputDirectory = value },
                "--workdir" => options with { WorkDirectory = value },
                "--tag" => options with { Tag = value },
                "--gitops" => options with { GitOpsPath = value },
                "--kubeconfig" => options with { Kubeconfig = File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"--kubeconfig {value}: no such file") },
                "--operator-env" when value.IndexOf('=', StringComparison.Ordinal) > 0 => options with
                {
                    OperatorEnvironment = new Dictionary<string, string>(options.OperatorEnvironment) { [value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..] },
                },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }
        if (options.ClusterPids.Count > 0 && options.Kubeconfig is null) throw new ArgumentException("--cluster-pid measures an existing cluster's processes; it needs --kubeconfig");
        if (options.Cores is not null && options.Kubeconfig is not null && options.ClusterPids.Count == 0)
            throw new ArgumentException("--cluster-cores with --kubeconfig moves the cluster's processes: name them with --cluster-pid");
        if (options.Clusters > 1 && options.Kubeconfig is not null) throw new ArgumentException("--clusters starts sandboxes of its own; it cannot be used with --kubeconfig");
        return options with { Repos = Math.Min(options.Repos, options.Apps), Clusters = Math.Min(options.Clusters, options.Apps), Arguments = [.. args] };
    }
}
