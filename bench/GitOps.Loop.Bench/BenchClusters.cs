using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Cluster.Remote;
using k8s;

namespace GitOps.Loop.Bench;

/// <summary>One API server of the run: its sandbox process, the client the benchmark talks to it with, and the sampler of its RSS and CPU.</summary>
internal sealed record BenchCluster(int Index, string Name, SandboxProcess Sandbox, KubeApi Api, ProcessSampler Sampler)
{
    /// <summary>What an Application's spec.destination.clusterName says: null for the operator's own cluster.</summary>
    public string? ClusterName => Index == 0 ? null : Name;

    /// <summary>The key of its sandbox in the step marks.</summary>
    public string Process => "sandbox/" + Name;
}

/// <summary>
/// The sandboxes of a run (--clusters N): the home one (cluster 0: the operator's own, "in-cluster", where
/// the Applications live) and N-1 more that <see cref="RegisterAsync"/> registers in it as clusters bench-1 ..
/// bench-(N-1), the way <c>gitops cluster add</c> does. Apps go round-robin: app i to cluster i % N. Each
/// sandbox has its own client and sampler and, once <see cref="StartHpaStandInsAsync"/> ran, its own HPA stand-in.
/// </summary>
internal sealed class BenchClusters : IAsyncDisposable
{
    /// <summary>The operator's namespace (its --lease-namespace default), where registered clusters' Secrets live.</summary>
    public const string OperatorNamespace = "default";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<WatchedStandIn> _hpa = [];
    private readonly Dictionary<string, BenchCluster> _byApp;

    private BenchClusters(IReadOnlyList<BenchCluster> all, IReadOnlyList<BenchApp> apps)
    {
        All = all;
        _byApp = apps.Select((a, i) => (a.Name, Cluster: all[i % all.Count])).ToDictionary(x => x.Name, x => x.Cluster, StringComparer.Ordinal);
    }

    public IReadOnlyList<BenchCluster> All { get; }

    public BenchCluster Home => All[0];

    public int Count => All.Count;

    /// <summary>The status writes the HPA stand-ins made, over all clusters.</summary>
    public long HpaWrites => _hpa.Sum(h => h.Writes);

    /// <summary>in-cluster for cluster 0 (the operator's own, as its metrics label it), else bench-N.</summary>
    public static string NameOf(int index) => index == 0 ? ClusterRef.InClusterName : $"bench-{index.ToString(CultureInfo.InvariantCulture)}";

    public BenchCluster Of(BenchApp app) => _byApp[app.Name];

    public BenchCluster Of(string appName) => _byApp[appName];

    /// <summary>The apps that live in each cluster, in the order of <paramref name="apps"/>.</summary>
    public IReadOnlyDictionary<BenchCluster, List<BenchApp>> Split(IEnumerable<BenchApp> apps)
    {
        var split = All.ToDictionary(c => c, _ => new List<BenchApp>());
        foreach (var app in apps) split[Of(app)].Add(app);
        return split;
    }

    /// <summary>Starts <paramref name="count"/> sandboxes at once, in <c>WORK/DIR</c> (the home one) and <c>WORK/DIR-bench-N</c>.</summary>
    public static async Task<BenchClusters> StartAsync(int count, string gitops, string work, string dirName, IReadOnlyList<BenchApp> apps, long origin, TimeSpan sampleInterval, CancellationToken ct,
        IReadOnlyList<int>? cores = null)
    {
        var starts = Enumerable.Range(0, count)
            .Select(i => SandboxProcess.StartAsync(gitops, Path.Combine(work, i == 0 ? dirName : $"{dirName}-{NameOf(i)}"), TimeSpan.FromSeconds(60), ct, cores))
            .ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var t in starts.Where(t => t.IsCompletedSuccessfully)) await t.Result.DisposeAsync();
            throw;
        }
        var all = starts.Select((t, i) => new BenchCluster(i, NameOf(i), t.Result,
            KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(t.Result.Kubeconfig)),
            new ProcessSampler(t.Result.Process.Pid, origin, sampleInterval))).ToList();
        return new BenchClusters(all, apps);
    }

    /// <summary>
    /// Registers every cluster but the home one in the home sandbox, as <c>gitops cluster add</c> does: a Secret
    /// gitops-cluster-NAME in the operator's namespace, labelled gitops.dev/cluster: NAME, the kubeconfig under value.
    /// </summary>
    public async Task RegisterAsync(CancellationToken ct)
    {
        foreach (var c in All.Skip(1))
        {
            var name = ClusterRegistration.SecretNameOf(c.Name);
            var secret = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = OperatorNamespace,
                    ["labels"] = new JsonObject { [ClusterRegistration.NameLabel] = c.Name },
                },
                ["type"] = "Opaque",
                ["data"] = new JsonObject { [ClusterRef.DefaultKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(await File.ReadAllTextAsync(c.Sandbox.Kubeconfig, ct))) },
            };
            await Home.Api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{OperatorNamespace}/secrets/{name}?fieldManager=gitops-bench&force=true",
                secret.ToJsonString(), "application/apply-patch+yaml", ct);
        }
    }

    /// <summary>
    /// One HPA stand-in per cluster (none has an HPA controller): each watches its own sandbox's HPAs
    /// with <paramref name="labelSelector"/> and writes their conditions there.
    /// </summary>
    public async Task StartHpaStandInsAsync(string labelSelector)
    {
        foreach (var c in All)
        {
            var hpa = await StatusStandIn.WatchHpasAsync(c.Api, labelSelector);
            _hpa.Add(hpa);
            _owned.Add(hpa);
        }
    }

    /// <summary>Each sandbox's requests served so far, by verb (its sandbox_requests_total), by cluster name.</summary>
    public async Task<Dictionary<string, Dictionary<string, double>>> RequestsByVerbAsync(HttpClient http, CancellationToken ct)
    {
        var pages = await Task.WhenAll(All.Select(c => http.GetStringAsync(new Uri(c.Sandbox.Url, "/metrics"), ct)));
        return All.ToDictionary(c => c.Name, c => PromText.Parse(pages[c.Index]).SumBy("sandbox_requests_total", "verb"), StringComparer.Ordinal);
    }

    /// <summary>A sample of every sandbox now, keyed by <see cref="BenchCluster.Process"/>.</summary>
    public Dictionary<string, ProcessSample?> SampleNow() => All.ToDictionary(c => c.Process, c => c.Sampler.SampleNow(), StringComparer.Ordinal);

    /// <summary>The sandboxes' CPU seconds so far, summed.</summary>
    public double CpuSeconds() => All.Sum(c => c.Sampler.SampleNow()?.CpuSeconds ?? 0);

    /// <summary>"sandbox at URL", then the registered ones by name.</summary>
    public string Describe() =>
        $"sandbox at {Home.Sandbox.Url.ToString().TrimEnd('/')}" + (Count == 1 ? "" : $" (the operator's own) and {Count - 1} registered: {string.Join(", ", All.Skip(1).Select(c => $"{c.Name} at {c.Sandbox.Url.ToString().TrimEnd('/')}"))}");

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try { await _owned[i].DisposeAsync(); }
            catch (Exception e) when (e is OperationCanceledException or KubeApiException or HttpRequestException or IOException or ObjectDisposedException) { }
        }
        _owned.Clear();
        foreach (var c in All)
        {
            await c.Sampler.DisposeAsync();
            c.Api.Dispose();
        }
        await Task.WhenAll(All.Select(c => c.Sandbox.DisposeAsync().AsTask()));
    }
}
