using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Cluster;
using GitOps.Operator.Cluster.Remote;
using GitOps.Operator.Demo;
using k8s;

namespace GitOps.Loop.Bench;

/// <summary>
/// One benchmark run (issue 8): the raw server-side-apply limit on a fresh sandbox, then against
/// a second fresh sandbox and the operator (both child processes) and the loopback Git server: the
/// cold sync of N Applications, a no-op resync pass, self-heal of K drifted objects, and a webhook
/// rollout of a commit touching M apps; RSS and CPU of both processes sampled throughout.
/// </summary>
public sealed class LoopBench : IAsyncDisposable
{
    public const string AppNamespace = "gitops-bench";
    private const string ManagedBy = "gitops.dev/managed-by=gitops-operator";
    private const string WebhookSecretName = "gitops-webhook";
    private static readonly string[] WriteVerbs = ["create", "update", "patch", "apply", "delete", "deletecollection"];

    private readonly BenchOptions _options;
    private readonly TextWriter _log;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly List<Func<ValueTask>> _cleanup = [];
    private readonly string _webhookSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly List<string> _notes = [];
    private readonly StepMarks _marks = new();
    /// <summary>Cores busy on average in the cold sync: the operator, its renderer processes, the sandboxes, the benchmark and its Git server processes.</summary>
    private (double Operator, double Renderers, double Sandbox, double Bench) _coldCores;
    private double _coldWall;
    private string _work = "";
    private string _gitops = "";
    private string? _repoRoot;
    private ConfigRepos _repos = null!;
    private KubeApi _api = null!;
    private BenchClusters? _clusters;
    private Uri _operatorUrl = null!;
    private ProcessSampler _operatorSampler = null!;
    private ProcessSampler? _clusterSampler;
    private ClusterMetrics? _clusterMetrics;
    private bool _servedRequestsMeasured;
    private string _cluster = "sandbox";
    private ChildProcess _operator = null!;
    private int _sandboxScrapes;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly AppTracker _tracker = new();

    private LoopBench(BenchOptions options, TextWriter log)
    {
        _options = options;
        _log = log;
    }

    public static async Task<BenchOutput> RunAsync(BenchOptions options, TextWriter log, CancellationToken ct)
    {
        await using var bench = new LoopBench(options, log);
        return await bench.RunAsync(ct);
    }

    /// <summary>Against an existing cluster (--kubeconfig) rather than sandboxes of our own.</summary>
    private bool External => _options.Kubeconfig is not null;

    private double Now => Stopwatch.GetElapsedTime(_origin).TotalSeconds;

    private void Say(string line)
    {
        lock (_log) _log.WriteLine($"[{Now,7:0.0}s] {line}");
    }

    private async Task<BenchOutput> RunAsync(CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        _repoRoot = FindRepoRoot();
        _gitops = LocateGitOps();
        if (_options.WorkDirectory is { } dir && Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new BenchException($"--workdir {dir} is not empty (a previous run's?): give a new or empty directory");
        _work = _options.WorkDirectory ?? Directory.CreateTempSubdirectory("gitops-loop-bench-").FullName;
        Directory.CreateDirectory(_work);
        if (_options.WorkDirectory is null) _cleanup.Add(() => { TryDelete(_work); return ValueTask.CompletedTask; });
        var p = _options;
        Say($"GitOps loop benchmark: {p.Apps} apps x {p.Objects} objects, {p.Repos} repos, {p.Workers} workers, interval {p.ResyncInterval.TotalSeconds:0}s; gitops {_gitops}; work {_work}");

        if (p.Cores is { } cores)
        {
            // This process's threads now; the operator, its renderer processes and the Git server inherit the cores when started.
            await CoreSplit.PinAsync(Environment.ProcessId, cores.Rest, ct);
            foreach (var pid in p.ClusterPids)
            {
                // The cluster is not ours: it gets its cores back at the end.
                if (CoreSplit.AllowedCores(pid) is { } before)
                    _cleanup.Add(async () =>
                    {
                        try { await CoreSplit.PinAsync(pid, before, CancellationToken.None); }
                        catch (BenchException) { } // it is gone
                    });
                await CoreSplit.PinAsync(pid, cores.Cluster, ct);
            }
            Say($"Cores: the API server ({(External ? "the --cluster-pid processes" : "each sandbox")}) on {CoreSplit.Describe(cores.Cluster)}, the benchmark, the operator and its renderer processes on {CoreSplit.Describe(cores.Rest)}");
        }
        if (External)
        {
            _cluster = await DescribeClusterAsync(_options.Kubeconfig!, ct);
            var metrics = _clusterMetrics = ClusterMetrics.For(_options.Kubeconfig!);
            _cleanup.Add(() => { metrics.Dispose(); return ValueTask.CompletedTask; });
            _servedRequestsMeasured = await metrics.ScrapeAsync(ct) is not null;
            if (!_servedRequestsMeasured) Say("   the API server's /metrics is not readable with this kubeconfig: requests by verb will be the operator's own count");
            if (_options.ClusterPids.Count > 0)
            {
                var sampler = _clusterSampler = new ProcessSampler(_options.ClusterPids, _origin, _options.SampleInterval);
                _cleanup.Add(() => sampler.DisposeAsync());
            }
        }
        _repos = await ConfigRepos.CreateAsync(p, _work, ct);
        _cleanup.Add(() => _repos.DisposeAsync());
        Say($"Git: {p.Repos} repositories on {_repos.Urls[0][..(_repos.Urls[0].LastIndexOf('/') + 1)]}, {_repos.Apps.Count(a => a.Renderer == "kustomize")} of the apps render with Kustomize, {_repos.Apps.Count(a => a.Renderer == "helm")} with Helm");

        var raw = await RawApplyAsync(ct);
        await StartLoopAsync(ct);
        var cold = await ColdSyncAsync(raw, ct);
        var resync = await ResyncAsync(ct);
        var drift = await DriftAsync(ct);
        var webhook = await WebhookAsync(ct);

        var operatorUsage = _marks.Usage("operator", _operatorSampler);
        var sandboxByCluster = _clusters is not null ? _clusters.All.ToDictionary(c => c.Name, c => _marks.Usage(c.Process, c.Sampler), StringComparer.Ordinal)
            : _clusterSampler is not null ? new Dictionary<string, ProcessUsage> { [ClusterRef.InClusterName] = _marks.Usage(ClusterProcess, _clusterSampler) }
            : [];
        var sandboxUsage = sandboxByCluster.Count == 0 ? NotMeasured : StepMarks.Sum([.. sandboxByCluster.Values]);
        var results = new BenchResults(
            startedAt.ToString("O", CultureInfo.InvariantCulture), Math.Round(Now, 1), CommandLine(), MachineInfo(),
            new Parameters(p.Apps, p.Objects, p.Repos, _repos.Apps.Count(a => a.Renderer == "kustomize"), _repos.Apps.Count(a => a.Renderer == "helm"), p.Workers, p.EffectiveRawConcurrency, p.ResyncInterval.TotalSeconds, p.DriftObjects, p.WebhookApps, p.Quick, _cluster, p.Clusters, p.WebhookFiles, p.ClusterPids.Count, _servedRequestsMeasured,
                p.Cores is null ? null : CoreSplit.Describe(p.Cores.Cluster), p.Cores is null ? null : CoreSplit.Describe(p.Cores.Rest)),
            raw, cold, resync, drift, webhook, operatorUsage, sandboxUsage, sandboxByCluster,
            Targets(raw, cold, resync, drift, webhook, operatorUsage), _notes);
        var output = ResultsWriter.Write(results, _options.OutputDirectory ?? Path.Combine(_repoRoot ?? Environment.CurrentDirectory, "bench", "results"), _options.Tag);
        Say($"wrote {output.JsonPath} and {output.MarkdownPath}");
        _log.WriteLine(ResultsWriter.Table(results));
        return output;
    }

    // ---- Step 1: the limit ----------------------------------------------------------------

    /// <summary>
    /// Server-side apply of every app's objects by a minimal loop. With --clusters N, on N fresh sandboxes at
    /// once, each app's objects on the sandbox its app goes to (the same round-robin), with the same requests
    /// in flight in all: the limit of the API servers the loop spreads over, on the same cores.
    /// </summary>
    private async Task<RawApplyResult> RawApplyAsync(CancellationToken ct)
    {
        var concurrency = _options.EffectiveRawConcurrency;
        // On an existing cluster the raw objects go to namespaces of their own (raw-<app>), deleted after the step.
        var prefix = External ? "raw-" : "";
        var where = External ? $"namespaces {prefix}<app> of {_cluster}"
            : _options.Clusters == 1 ? "fresh sandbox"
            : $"{_options.Clusters} fresh sandboxes, app i's objects on sandbox i % {_options.Clusters}";
        Say($"1. Raw limit: server-side apply of the same {_options.Apps * _options.Objects} objects, {concurrency} requests in flight, {where}");
        await using var sandboxes = External ? null : await BenchClusters.StartAsync(_options.Clusters, _gitops, _work, "raw", _repos.Apps, _origin, _options.SampleInterval, ct, _options.Cores?.Cluster);
        var external = External ? Api(_options.Kubeconfig!) : null;
        // Disposed at the end of the run, after the cleanup below that deletes the raw namespaces on failure.
        if (external is not null) _cleanup.Add(() => { external.Dispose(); return ValueTask.CompletedTask; });
        if (external is not null)
            await WaitForNamespacesGoneAsync(external, [.. _repos.Apps.SelectMany(a => new[] { a.Name, prefix + a.Name }), AppNamespace], "of a previous run", ct);
        (KubeApi Api, string Cluster) Target(BenchApp app) => sandboxes is null ? (external!, ClusterRef.InClusterName) : (sandboxes.Of(app).Api, sandboxes.Of(app).Name);
        var namespaces = _repos.Apps.Select(app => (Target: Target(app), Name: prefix + app.Name)).ToList();
        var work = _repos.Apps.SelectMany(app => AppManifests.For(app.Name, _options.Objects)
            .Select(o => (Target: Target(app), Path: o.Path(prefix + app.Name), Body: ApplyBody(app, o, prefix + app.Name)))).ToList();
        var samplers = sandboxes?.All.ToDictionary(c => c.Name, c => c.Sampler, StringComparer.Ordinal)
            ?? (_clusterSampler is null ? [] : new Dictionary<string, ProcessSampler> { [ClusterRef.InClusterName] = _clusterSampler });
        var errors = 0;
        // On an existing cluster with no nodes the kubelet stand-in runs during this step too, so its Deployments can settle.
        await using var pods = external is not null && _options.PodStandIn ? await StatusStandIn.WatchPodsAsync(external, AppManifests.PodSelector) : null;
        var cpu0 = samplers.ToDictionary(kv => kv.Key, kv => kv.Value.SampleNow()?.CpuSeconds ?? 0, StringComparer.Ordinal);
        // The namespaces are timed with the objects: the cold sync creates its apps' namespaces inside its own time, and
        // on a real cluster each new namespace costs its controllers writes too (a ServiceAccount, CA ConfigMaps).
        var sw = Stopwatch.StartNew();
        if (external is not null) _cleanup.Add(() => DeleteNamespacesAsync(external, [.. namespaces.Select(n => n.Name)]));
        await Parallel.ForEachAsync(namespaces, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (ns, token) =>
            await ns.Target.Api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns.Name}?fieldManager=gitops-operator&force=true",
                new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns.Name } }.ToJsonString(),
                "application/apply-patch+yaml", token));
        var namespaceSeconds = sw.Elapsed.TotalSeconds;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (w, token) =>
        {
            try
            {
                await w.Target.Api.SendAsync(HttpMethod.Patch, w.Path + "?fieldManager=gitops-operator&force=true", w.Body, "application/apply-patch+yaml", token);
            }
            catch (KubeApiException)
            {
                Interlocked.Increment(ref errors);
            }
        });
        var seconds = sw.Elapsed.TotalSeconds;
        var cpuByCluster = samplers.ToDictionary(kv => kv.Key, kv => (kv.Value.SampleNow()?.CpuSeconds ?? cpu0[kv.Key]) - cpu0[kv.Key], StringComparer.Ordinal);
        var cpu = cpuByCluster.Count == 0 ? double.NaN : cpuByCluster.Values.Sum();
        var byCluster = work.GroupBy(w => w.Target.Cluster, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new RawApplyShare(g.Count(), Math.Round(cpuByCluster.GetValueOrDefault(g.Key, double.NaN), 2)), StringComparer.Ordinal);
        var result = new RawApplyResult(work.Count, concurrency, Math.Round(seconds, 2), Math.Round(work.Count / seconds, 1), errors, Math.Round(cpu, 2), byCluster)
        {
            Namespaces = namespaces.Count,
            NamespaceSeconds = Math.Round(namespaceSeconds, 2),
            ObjectsAlonePerSecond = Math.Round(work.Count / (seconds - namespaceSeconds), 1),
        };
        Say($"   {work.Count} objects and their {namespaces.Count} namespaces in {seconds:0.00}s = {result.ObjectsPerSecond:0} objects/s (the namespaces {namespaceSeconds:0.00}s; " +
            $"the objects alone {result.ObjectsAlonePerSecond:0} objects/s; {errors} errors; API server CPU {(double.IsNaN(cpu) ? "not measured" : $"{cpu:0.0}s")}" +
            (byCluster.Count > 1 ? $": {string.Join(", ", byCluster.Select(kv => $"{kv.Key} {kv.Value.SandboxCpuSeconds:0.0}s"))})" : ")"));
        if (external is not null)
        {
            await WaitForAsync(async () => await AvailableDeploymentsAsync(external, prefix, ct) >= _repos.Apps.Count, _options.StageTimeout, "the raw step's Deployments to be available", ct, throwOnTimeout: false);
            var settled = sw.Elapsed.TotalSeconds;
            var settledCpu = cpuByCluster.Count == 0 ? double.NaN : samplers.Sum(kv => (kv.Value.SampleNow()?.CpuSeconds ?? cpu0[kv.Key]) - cpu0[kv.Key]);
            result = result with { SettledSeconds = Math.Round(settled, 2), SettledObjectsPerSecond = Math.Round(work.Count / settled, 1), SettledCpuSeconds = Math.Round(settledCpu, 2) };
            Say($"   settled (every Deployment available, the cluster's controllers done) after {settled:0.00}s = {result.SettledObjectsPerSecond:0} objects/s (API server CPU {settledCpu:0.0}s)");
        }
        if (external is not null)
        {
            // Its Deployments' ReplicaSets and Pods would load the cluster's controllers during the cold sync.
            await DeleteNamespacesAsync(external, [.. namespaces.Select(n => n.Name)]);
            await WaitForNamespacesGoneAsync(external, [.. namespaces.Select(n => n.Name)], "of the raw step", ct);
        }
        return result;
    }

    /// <summary>The object as the operator sends it: namespace, the managed-by label and the tracking annotation added.</summary>
    private static string ApplyBody(BenchApp app, AppObject o, string ns)
    {
        var manifest = ManifestReader.Read(o.Yaml, o.File).Single().ToJson();
        var meta = manifest["metadata"]!.AsObject();
        meta["namespace"] = ns;
        var labels = meta["labels"] as JsonObject ?? [];
        labels["gitops.dev/managed-by"] = "gitops-operator";
        meta["labels"] = labels;
        var kind = (string)manifest["kind"]!;
        var apiVersion = (string)manifest["apiVersion"]!;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        meta["annotations"] = new JsonObject { ["gitops.dev/tracking-id"] = $"{AppNamespace}/{app.Name}:{group}/{kind}:{app.Name}/{o.Name}" };
        return manifest.ToJsonString();
    }

    // ---- The loop: sandbox, operator, stand-ins --------------------------------------------

    private async Task StartLoopAsync(CancellationToken ct)
    {
        string kubeconfig;
        if (External)
        {
            kubeconfig = _options.Kubeconfig!;
        }
        else
        {
            var clusters = _clusters = await BenchClusters.StartAsync(_options.Clusters, _gitops, _work, "loop", _repos.Apps, _origin, _options.SampleInterval, ct, _options.Cores?.Cluster);
            _cleanup.Add(() => clusters.DisposeAsync());
            _cluster = clusters.Describe();
            kubeconfig = clusters.Home.Sandbox.Kubeconfig;
            await clusters.RegisterAsync(ct);
        }
        _api = Api(kubeconfig);

        var crd = ManifestReader.Read(DemoAssets.Crd(), "crds/application.yaml").Single().ToJson();
        await ApplyAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.gitops.dev", crd, ct);
        await WaitForAsync(async () => (await _api.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.gitops.dev", ct))?["status"]?["conditions"] is JsonArray c
            && c.Any(x => (string?)x?["type"] == "Established" && (string?)x?["status"] == "True"), TimeSpan.FromSeconds(30), "the Application CRD to be established", ct);
        await ApplyAsync($"/api/v1/namespaces/{AppNamespace}", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = AppNamespace } }, ct);
        await ApplyAsync($"/api/v1/namespaces/default/secrets/{WebhookSecretName}", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = WebhookSecretName, ["namespace"] = "default" },
            ["stringData"] = new JsonObject { ["secret"] = _webhookSecret },
        }, ct);

        var port = FreePort();
        _operatorUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var tmp = Path.Combine(_work, "operator-tmp");
        Directory.CreateDirectory(tmp);
        var env = new Dictionary<string, string> { ["TMPDIR"] = tmp };
        if (_repoRoot is not null && File.Exists(Path.Combine(_repoRoot, ".tools", "bin", "kubectl")))
        {
            env["GITOPS_KUBECTL"] = Path.Combine(_repoRoot, ".tools", "bin", "kubectl");
            env["PATH"] = Path.Combine(_repoRoot, ".tools", "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        }
        foreach (var (k, v) in _options.OperatorEnvironment) env[k] = v;
        _operator = ChildProcess.Start(_gitops,
            ["operator", "--kubeconfig", kubeconfig, "--listen", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--no-leader-election",
             "--workers", _options.Workers.ToString(CultureInfo.InvariantCulture), "--webhook-secret-ref", $"default/{WebhookSecretName}"],
            Path.Combine(_work, "operator.log"), env);
        _cleanup.Add(() => _operator.DisposeAsync());
        // Runs before the operator stops (cleanup goes in reverse): Applications first, so nothing re-creates what goes.
        if (External) _cleanup.Add(() => DeleteBenchObjectsAsync());
        _operatorSampler = new ProcessSampler(_operator.Pid, _origin, _options.SampleInterval);
        _cleanup.Add(() => _operatorSampler.DisposeAsync());
        await WaitForAsync(async () =>
        {
            if (_operator.HasExited) throw new BenchException($"the operator exited: {_operator.Tail()}");
            try
            {
                using var r = await _http.GetAsync(new Uri(_operatorUrl, "/readyz"), ct);
                return r.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the operator to be ready", ct);
        Say($"   API server {_cluster}, operator at {_operatorUrl} (pid {_operator.Pid}, log {_operator.LogPath})");

        // A cluster's HPA controller writes conditions; the sandbox has none, so the benchmark stands in for it,
        // one per sandbox (on a cluster with its own controller it writes only to an HPA that has no conditions yet).
        if (_clusters is not null)
        {
            await _clusters.StartHpaStandInsAsync(ManagedBy);
        }
        else
        {
            var hpa = await StatusStandIn.WatchHpasAsync(_api, ManagedBy);
            _cleanup.Add(() => hpa.DisposeAsync());
        }
        if (_options.PodStandIn)
        {
            var pods = await StatusStandIn.WatchPodsAsync(_api, AppManifests.PodSelector);
            _cleanup.Add(() => pods.DisposeAsync());
        }
        var appWatch = await Watching.StartAsync(_api, $"/apis/gitops.dev/v1alpha1/namespaces/{AppNamespace}/applications", null, initialList: true, _tracker.OnEvent);
        _cleanup.Add(() => appWatch.DisposeAsync());
    }

    // ---- Step 2: cold sync ------------------------------------------------------------------

    private async Task<ColdSyncResult> ColdSyncAsync(RawApplyResult raw, CancellationToken ct)
    {
        var apps = _repos.Apps;
        Say($"2. Cold sync: creating {apps.Count} Applications ({_options.Objects} objects each) in namespace {AppNamespace}" +
            (_options.Clusters > 1 ? $", app i deploying to cluster i % {_options.Clusters} ({string.Join(", ", _clusters!.All.Select(c => c.Name))})" : ""));
        MarkStep("startup");
        var writes0 = _servedRequestsMeasured ? await _clusterMetrics!.ScrapeAsync(ct) : null;
        var before = await SnapshotAsync(ct);
        var opStart = _operatorSampler.SampleNow();
        var (op0, render0, sb0, self0) = (opStart?.CpuSeconds ?? 0, opStart?.ChildCpuSeconds ?? 0, _clusters?.CpuSeconds() ?? _clusterSampler?.SampleNow()?.CpuSeconds ?? 0, BenchCpuSeconds());
        var t0 = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(apps, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (app, token) =>
            await ApplyAsync($"/apis/gitops.dev/v1alpha1/namespaces/{AppNamespace}/applications/{app.Name}", ApplicationObject(app), token));
        var created = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Say($"   created in {created:0.0}s; waiting for all to be Synced and Healthy");
        var expected = apps.ToDictionary(a => a.Name, a => _repos.Heads[a.Repo], StringComparer.Ordinal);
        var lastReport = Now;
        await WaitForAsync(() =>
        {
            var done = _tracker.CountReached(expected);
            if (Now - lastReport >= 10)
            {
                lastReport = Now;
                Say($"   {done}/{apps.Count} Synced and Healthy after {Stopwatch.GetElapsedTime(t0).TotalSeconds:0}s");
            }
            if (_operator.HasExited) throw new BenchException($"the operator exited: {_operator.Tail()}");
            return Task.FromResult(done == apps.Count);
        }, _options.StageTimeout, "every Application to be Synced and Healthy", ct, throwOnTimeout: false);
        var times = expected.Select(kv => _tracker.ReachedAt(kv.Key, kv.Value)).ToList();
        var reached = times.OfType<long>().Select(t => (double)(t - t0) / Stopwatch.Frequency).ToList();
        var notSynced = times.Count(t => t is null);
        var seconds = reached.Count == 0 ? double.NaN : reached.Max();
        var after = await SnapshotAsync(ct);
        MarkStep("cold sync");
        if (writes0 is not null && await _clusterMetrics!.ScrapeAsync(ct) is { } writes1)
            _notes.Add($"cold sync: writes the API server served, by resource (the operator's, the benchmark's stand-ins' and the cluster's controllers'): " +
                string.Join(", ", PromText.Delta(ClusterMetrics.WritesByResource(writes0), ClusterMetrics.WritesByResource(writes1)).OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:0}")));
        var wall = _coldWall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var sandboxCores = _clusters is not null ? (_clusters.All.Sum(c => _marks.CpuAt("cold sync", c.Process)) - sb0) / wall
            : _clusterSampler is not null ? (_marks.CpuAt("cold sync", ClusterProcess) - sb0) / wall
            : 0;
        _coldCores = ((_marks.CpuAt("cold sync", "operator") - op0) / wall, (_marks.ChildCpuAt("cold sync", "operator") - render0) / wall, sandboxCores, (BenchCpuSeconds() - self0) / wall);
        _notes.Add($"cold sync: cores busy on average: operator {_coldCores.Operator:0.00}, its renderer processes {_coldCores.Renderers:0.00}, {(_options.Clusters > 1 ? $"the {_options.Clusters} sandboxes" : "sandbox")} {_coldCores.Sandbox:0.00}, the benchmark with its Git server {_coldCores.Bench:0.00} (of {CoreSplit.MachineCores()}{(_options.Cores is { } split ? $": the API server's {split.Cluster.Count}, the others' {split.Rest.Count}" : "")}; load average {LoadAverage()})");
        var objectsPerSecond = apps.Count * _options.Objects / seconds;
        var result = new ColdSyncResult(
            Math.Round(seconds, 2), Math.Round(created, 2), Math.Round(reached.Count == 0 ? double.NaN : reached.Min(), 2), Math.Round(objectsPerSecond, 1),
            Math.Round(objectsPerSecond / raw.ObjectsPerSecond, 3),
            Latency.Of([.. reached.Select(s => s * 1000)], notSynced), notSynced,
            after.SandboxDelta(before), after.OperatorDelta(before), after.GitDelta(before),
            after.RenderProcesses - before.RenderProcesses, after.Reconciles - before.Reconciles, after.RenderDelta(before), after.ToolDelta(before), after.DesiredCacheDelta(before),
            ColdSyncByCluster(expected, t0, after.SandboxDeltaByCluster(before)));
        if (notSynced > 0)
        {
            _notes.Add($"cold sync: {notSynced} apps were not Synced and Healthy within {_options.StageTimeout.TotalSeconds:0}s: {string.Join(", ", _tracker.Describe(expected.Where(kv => _tracker.ReachedAt(kv.Key, kv.Value) is null).Take(5).Select(kv => kv.Key)))}");
            Say($"   NOT all synced: {_notes[^1]}");
        }
        Say($"   {apps.Count - notSynced}/{apps.Count} apps Synced and Healthy in {seconds:0.0}s = {objectsPerSecond:0} objects/s = {result.RatioToLimit:0.00} x the raw limit; {result.Reconciles} reconciles, {result.RenderProcesses} renderer processes");
        if (result.ByCluster.Count > 1)
            Say($"   by cluster: {string.Join("; ", result.ByCluster.Select(kv => $"{kv.Key} {kv.Value.Apps - kv.Value.NotSynced}/{kv.Value.Apps} in {kv.Value.Seconds:0.0}s, {kv.Value.SandboxRequestsByVerb.Values.Sum():0} requests"))}");
        return result;
    }

    /// <summary>The cold sync of each cluster's apps: when its last app was Synced and Healthy, per app, and what its sandbox served.</summary>
    private Dictionary<string, ClusterColdSync> ColdSyncByCluster(IReadOnlyDictionary<string, string> expected, long t0, IReadOnlyDictionary<string, Dictionary<string, double>> requests) =>
        _repos.Apps.GroupBy(ClusterNameOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
        {
            var times = g.Select(a => _tracker.ReachedAt(a.Name, expected[a.Name])).ToList();
            var reached = times.OfType<long>().Select(t => (double)(t - t0) / Stopwatch.Frequency).ToList();
            var missing = times.Count(t => t is null);
            return new ClusterColdSync(g.Count(), missing, Math.Round(reached.Count == 0 ? double.NaN : reached.Max(), 2), Latency.Of([.. reached.Select(s => s * 1000)], missing),
                requests.GetValueOrDefault(g.Key) ?? new Dictionary<string, double>());
        }, StringComparer.Ordinal);

    /// <summary>The name of the cluster the app deploys to (in-cluster for the operator's own).</summary>
    private string ClusterNameOf(BenchApp app) => _clusters?.Of(app).Name ?? ClusterRef.InClusterName;

    /// <summary>The API of the cluster the app deploys to.</summary>
    private KubeApi ApiOf(BenchApp app) => _clusters?.Of(app).Api ?? _api;

    private JsonObject ApplicationObject(BenchApp app) => new()
    {
        ["apiVersion"] = "gitops.dev/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = app.Name, ["namespace"] = AppNamespace },
        ["spec"] = new JsonObject
        {
            ["source"] = new JsonObject { ["repoURL"] = _repos.Urls[app.Repo], ["targetRevision"] = "main", ["path"] = app.Path },
            ["destination"] = _clusters?.Of(app).ClusterName is { } cluster
                ? new JsonObject { ["namespace"] = app.Name, ["clusterName"] = cluster }
                : new JsonObject { ["namespace"] = app.Name },
            ["syncPolicy"] = new JsonObject
            {
                ["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true },
                ["syncOptions"] = new JsonArray("CreateNamespace=true"),
            },
            ["interval"] = $"{_options.ResyncInterval.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s",
        },
    };

    // ---- Step 3: no-op resync ---------------------------------------------------------------

    private async Task<ResyncResult> ResyncAsync(CancellationToken ct)
    {
        var interval = _options.ResyncInterval;
        Say($"3. No-op resync: nothing changes; waiting until every app has been reconciled again (interval {interval.TotalSeconds:0}s, jitter +-10%)");
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // the last status writes of the cold sync settle
        var before = await SnapshotAsync(ct, perApp: true);
        var t0 = Stopwatch.GetTimestamp();
        // Scraping the operator's /metrics costs it CPU (a page per app), so look only once a full interval (+10% jitter) has gone by.
        await Task.Delay(interval * 1.1, ct);
        Snapshot after;
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.StageTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            after = await SnapshotAsync(ct, perApp: true);
            var behind = _repos.Apps.Count(a => after.AppReconciles.GetValueOrDefault(a.Name) <= before.AppReconciles.GetValueOrDefault(a.Name));
            if (behind == 0) break;
            if (Stopwatch.GetTimestamp() > deadline)
            {
                _notes.Add($"resync: {behind} apps were not reconciled again within {_options.StageTimeout.TotalSeconds:0}s after the interval");
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        MarkStep("no-op resync");
        var sandbox = after.SandboxDelta(before);
        var git = after.GitDelta(before);
        var lsPerRepo = after.Git.Where(kv => kv.Key.Kind == "ls").ToDictionary(kv => kv.Key.Repo, kv => kv.Value - before.Git.GetValueOrDefault(kv.Key));
        var result = new ResyncResult(
            Math.Round(seconds, 1), interval.TotalSeconds, after.Reconciles - before.Reconciles,
            _repos.Apps.Count(a => after.AppReconciles.GetValueOrDefault(a.Name) > before.AppReconciles.GetValueOrDefault(a.Name)),
            // On an existing cluster the API server also serves its own and its controllers' writes (leases, events): count the operator's.
            sandbox, after.OperatorDelta(before), WriteVerbs.Sum(v => (External ? after.OperatorDelta(before) : sandbox).GetValueOrDefault(v)), git,
            git.Where(kv => kv.Key.EndsWith("/ls", StringComparison.Ordinal)).Sum(kv => kv.Value),
            (int)(lsPerRepo.Count == 0 ? 0 : lsPerRepo.Values.Max()),
            git.Where(kv => kv.Key.EndsWith("/fetch", StringComparison.Ordinal)).Sum(kv => kv.Value),
            after.RenderProcesses - before.RenderProcesses, after.RenderRuns - before.RenderRuns, after.RenderCacheMisses - before.RenderCacheMisses, after.RenderDelta(before), after.DesiredCacheDelta(before),
            after.SandboxDeltaByCluster(before).ToDictionary(kv => kv.Key, kv => new ClusterResync(WriteVerbs.Sum(v => kv.Value.GetValueOrDefault(v)), kv.Value), StringComparer.Ordinal));
        Say($"   {result.Reconciles} reconciles of {result.AppsReconciled} apps in {seconds:0.0}s: {result.Writes} writes, requests by verb {Show(sandbox)}; " +
            $"Git {Show(git)}; {result.RenderProcesses} renderer processes, {result.RenderStageRuns} render stages run ({result.RenderCacheMisses} render-cache misses)");
        if (result.ByCluster.Count > 1)
            Say($"   by cluster: {string.Join("; ", result.ByCluster.Select(kv => $"{kv.Key} {Show(kv.Value.SandboxRequestsByVerb)}"))}");
        return result;
    }

    // ---- Step 4: drift ----------------------------------------------------------------------

    private async Task<DriftResult> DriftAsync(CancellationToken ct)
    {
        var k = Math.Min(_options.DriftObjects, _repos.Apps.Count);
        Say($"4. Drift: editing ConfigMap {AppManifests.ConfigMapName} by hand in {k} apps, one every {_options.DriftSpacing.TotalMilliseconds:0} ms" +
            (_options.Clusters > 1 ? $", in all {_options.Clusters} clusters" : ""));
        var targets = DriftTargets(k);
        var original = targets.ToDictionary(a => a.Name, a => AppManifests.Greeting(a.Name, 1), StringComparer.Ordinal);
        var edited = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var sawDrift = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var healed = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        // One watch per cluster: each app's namespace (its name) lives in the cluster it deploys to only.
        await using (await WatchConfigMapsAsync((type, obj, at) =>
        {
            var ns = (string?)obj["metadata"]?["namespace"] ?? "";
            if ((string?)obj["metadata"]?["name"] != AppManifests.ConfigMapName || !original.TryGetValue(ns, out var want)) return;
            var greeting = (string?)obj["data"]?[AppManifests.GreetingKey];
            if (greeting == "edited by hand") sawDrift[ns] = true;
            else if (greeting == want && (sawDrift.ContainsKey(ns) || edited.ContainsKey(ns))) healed.TryAdd(ns, at);
        }))
        {
            var before = await SnapshotAsync(ct);
            foreach (var app in targets)
            {
                var sent = Stopwatch.GetTimestamp();
                edited[app.Name] = sent;
                await ApiOf(app).SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{app.Name}/configmaps/{AppManifests.ConfigMapName}?fieldManager=kubectl-edit",
                    $$$"""{"data":{"{{{AppManifests.GreetingKey}}}":"edited by hand"}}""", "application/merge-patch+json", ct);
                await Task.Delay(_options.DriftSpacing, ct);
            }
            await WaitForAsync(() => Task.FromResult(healed.Count == targets.Count), TimeSpan.FromSeconds(Math.Min(60, _options.StageTimeout.TotalSeconds)), "every drifted object to be healed", ct, throwOnTimeout: false);
            var after = await SnapshotAsync(ct);
            MarkStep("drift");
            double Ms(string app) => (double)(healed[app] - edited[app]) * 1000 / Stopwatch.Frequency;
            var byCluster = targets.GroupBy(ClusterNameOf, StringComparer.Ordinal).ToDictionary(g => g.Key,
                g => Latency.Of([.. g.Where(a => healed.ContainsKey(a.Name)).Select(a => Ms(a.Name))], g.Count(a => !healed.ContainsKey(a.Name))), StringComparer.Ordinal);
            var result = new DriftResult(targets.Count, Latency.Of([.. healed.Keys.Select(Ms)], targets.Count - healed.Count), byCluster);
            Say($"   healed {healed.Count}/{targets.Count}: p50 {result.Heal.P50Ms} ms, p95 {result.Heal.P95Ms} ms, p99 {result.Heal.P99Ms} ms, max {result.Heal.MaxMs} ms; requests by verb {Show(after.SandboxDelta(before))}");
            if (byCluster.Count > 1)
                Say($"   by cluster: {string.Join("; ", byCluster.Select(kv => $"{kv.Key} {kv.Value.Count}/{kv.Value.Count + kv.Value.Missing} healed, p50 {kv.Value.P50Ms} ms, p99 {kv.Value.P99Ms} ms"))}");
            if (result.Heal.Missing > 0) _notes.Add($"drift: {result.Heal.Missing} of {targets.Count} edits were not healed within 60s");
            return result;
        }
    }

    /// <summary>
    /// K apps spread evenly over the list; with N clusters each pick moves to the nearest app of cluster (i % N), so every
    /// cluster gets its share (spacing the picks alone can hit some clusters only: every 10th of 1,000 apps is on 2 of 4).
    /// </summary>
    private List<BenchApp> DriftTargets(int k)
    {
        var apps = _repos.Apps;
        var n = _options.Clusters;
        return [.. Enumerable.Range(0, k).Select(i =>
        {
            var index = (int)((long)i * apps.Count / Math.Max(1, k));
            index = index - index % n + i % n;
            return apps[index < apps.Count ? index : index - n];
        }).DistinctBy(a => a.Name)];
    }

    /// <summary>Watches the managed ConfigMaps of every cluster (new events only); disposing stops them all.</summary>
    private async Task<IAsyncDisposable> WatchConfigMapsAsync(Action<GitOps.Operator.Cluster.WatchEventType, JsonObject, long> onEvent)
    {
        var watches = new Watches();
        try
        {
            foreach (var api in _clusters?.All.Select(c => c.Api) ?? [_api])
                watches.Add(await Watching.StartAsync(api, "/api/v1/configmaps", ManagedBy, initialList: false, onEvent));
            return watches;
        }
        catch
        {
            await watches.DisposeAsync();
            throw;
        }
    }

    private sealed class Watches : IAsyncDisposable
    {
        private readonly List<Watching> _all = [];

        public void Add(Watching w) => _all.Add(w);

        public async ValueTask DisposeAsync()
        {
            foreach (var w in _all) await w.DisposeAsync();
        }
    }

    // ---- Step 5: webhook --------------------------------------------------------------------

    private async Task<WebhookResult> WebhookAsync(CancellationToken ct)
    {
        const int repo = 0;
        var onRepo = _repos.Apps.Where(a => a.Repo == repo).ToList();
        var changed = onRepo.Take(Math.Min(_options.WebhookApps, onRepo.Count)).ToList();
        var clustersOfChanged = changed.Select(ClusterNameOf).Distinct(StringComparer.Ordinal).ToList();
        Say($"5. Webhook: one commit to {ConfigRepos.RepoName(repo)} changes {changed.Count} of its {onRepo.Count} apps; push, POST /api/webhook, time until applied" +
            (_options.Clusters > 1 ? $" (the changed apps deploy to {string.Join(", ", clustersOfChanged)})" : ""));
        if (_options.Clusters > 1 && clustersOfChanged.Count < _options.Clusters)
            _notes.Add($"webhook: the changed apps of {ConfigRepos.RepoName(repo)} deploy to {string.Join(", ", clustersOfChanged)} only (app i is in repository i % {_options.Repos} and cluster i % {_options.Clusters})");
        var want = changed.ToDictionary(a => a.Name, a => AppManifests.Greeting(a.Name, 2), StringComparer.Ordinal);
        var applied = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        await using (await WatchConfigMapsAsync((type, obj, at) =>
        {
            var ns = (string?)obj["metadata"]?["namespace"] ?? "";
            if ((string?)obj["metadata"]?["name"] == AppManifests.ConfigMapName && want.TryGetValue(ns, out var w) && (string?)obj["data"]?[AppManifests.GreetingKey] == w)
                applied.TryAdd(ns, at);
        }))
        {
            var before = await SnapshotAsync(ct);
            var pushStart = Stopwatch.GetTimestamp();
            var (sha, changedFiles) = await _repos.PushRevisionAsync(repo, changed, _options.Objects, 2, ct);
            var pushSeconds = Stopwatch.GetElapsedTime(pushStart).TotalSeconds;
            var posted = Stopwatch.GetTimestamp();
            await PostWebhookAsync(_repos.Urls[repo], sha, _options.WebhookFiles ? changedFiles : null, ct);
            var expected = onRepo.ToDictionary(a => a.Name, _ => sha, StringComparer.Ordinal);
            await WaitForAsync(() => Task.FromResult(applied.Count == changed.Count && _tracker.CountReached(expected) == onRepo.Count),
                TimeSpan.FromSeconds(Math.Min(120, _options.StageTimeout.TotalSeconds)), "the pushed commit to be applied", ct, throwOnTimeout: false);
            var after = await SnapshotAsync(ct);
            MarkStep("webhook");
            double Ms(long t) => (double)(t - posted) * 1000 / Stopwatch.Frequency;
            var appliedMs = applied.Values.Select(Ms).ToList();
            var statusTimes = changed.Select(a => _tracker.ReachedAt(a.Name, sha)).ToList();
            var allOnRepo = onRepo.Select(a => _tracker.ReachedAt(a.Name, sha)).ToList();
            var result = new WebhookResult(changed.Count, onRepo.Count, Math.Round(pushSeconds, 2),
                Latency.Of(appliedMs, changed.Count - applied.Count),
                Latency.Of([.. statusTimes.OfType<long>().Select(Ms)], statusTimes.Count(t => t is null)),
                allOnRepo.Any(t => t is null) ? double.NaN : Math.Round(allOnRepo.OfType<long>().Select(Ms).Max() / 1000, 2),
                after.GitDelta(before), after.RenderProcesses - before.RenderProcesses, after.SandboxDelta(before),
                changed.GroupBy(ClusterNameOf, StringComparer.Ordinal).ToDictionary(g => g.Key,
                    g => Latency.Of([.. g.Where(a => applied.ContainsKey(a.Name)).Select(a => Ms(applied[a.Name]))], g.Count(a => !applied.ContainsKey(a.Name))), StringComparer.Ordinal));
            Say($"   applied {applied.Count}/{changed.Count} after the webhook: p50 {result.Applied.P50Ms} ms, p99 {result.Applied.P99Ms} ms, max {result.Applied.MaxMs} ms; " +
                $"all {onRepo.Count} apps of the repo at the new revision after {result.AllAppsOnRepoAtNewRevisionSeconds:0.0}s; Git {Show(result.GitRequests)}; {result.RenderProcesses} renderer processes");
            if (result.Applied.Missing > 0) _notes.Add($"webhook: {result.Applied.Missing} of {changed.Count} changed apps were not applied in time");
            return result;
        }
    }

    /// <summary>A GitHub push delivery; with <paramref name="changedFiles"/>, its one commit lists them as modified, as GitHub's does.</summary>
    private async Task PostWebhookAsync(string repoUrl, string sha, string[]? changedFiles, CancellationToken ct)
    {
        var payload = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["after"] = sha,
            ["repository"] = new JsonObject { ["clone_url"] = repoUrl },
        };
        if (changedFiles is not null)
            payload["commits"] = new JsonArray(new JsonObject
            {
                ["id"] = sha,
                ["added"] = new JsonArray(),
                ["modified"] = new JsonArray([.. changedFiles.Select(f => (JsonNode)f)]),
                ["removed"] = new JsonArray(),
            });
        var body = payload.ToJsonString();
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_webhookSecret), Encoding.UTF8.GetBytes(body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_operatorUrl, "/api/webhook")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + signature);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        using var response = await _http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new BenchException($"the operator refused the webhook: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    // ---- Measurements -----------------------------------------------------------------------

    /// <param name="Sandbox">Requests served by verb: each sandbox's own count by cluster name (or, on an existing cluster, the operator's count under in-cluster).</param>
    private sealed record Snapshot(
        Dictionary<string, Dictionary<string, double>> Sandbox,
        Dictionary<string, double> Operator,
        IReadOnlyDictionary<(string Repo, string Kind), long> Git,
        double RenderProcesses,
        double RenderRuns,
        double RenderCacheMisses,
        Dictionary<string, double> RenderCountByRenderer,
        Dictionary<string, double> RenderSecondsByRenderer,
        Dictionary<string, double> ToolCountByTool,
        Dictionary<string, double> ToolSecondsByTool,
        Dictionary<string, double> DesiredCacheLookups,
        double Reconciles,
        Dictionary<string, double> AppReconciles,
        int SandboxScrapes)
    {
        /// <summary>Requests served in the step by verb, over all sandboxes.</summary>
        public Dictionary<string, double> SandboxDelta(Snapshot before) =>
            SandboxDeltaByCluster(before).Values.SelectMany(d => d).GroupBy(kv => kv.Key, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);

        /// <summary>Requests served in the step by verb, by cluster.</summary>
        public Dictionary<string, Dictionary<string, double>> SandboxDeltaByCluster(Snapshot before) =>
            Sandbox.ToDictionary(kv => kv.Key, kv =>
            {
                var d = PromText.Delta(before.Sandbox.GetValueOrDefault(kv.Key) ?? new Dictionary<string, double>(), kv.Value);
                // The benchmark's own /metrics reads (one per sandbox and snapshot) show up as "discovery" requests.
                var own = SandboxScrapes - before.SandboxScrapes;
                if (d.TryGetValue("discovery", out var n)) { if (n - own > 0) d["discovery"] = n - own; else d.Remove("discovery"); }
                return d;
            }, StringComparer.Ordinal);

        public Dictionary<string, double> OperatorDelta(Snapshot before) => PromText.Delta(before.Operator, Operator);

        /// <summary>Desired-state cache lookups in the step, by result (hit, miss).</summary>
        public Dictionary<string, double> DesiredCacheDelta(Snapshot before) => PromText.Delta(before.DesiredCacheLookups, DesiredCacheLookups);

        /// <summary>Render stages in the step, by renderer (cache hits included).</summary>
        public Dictionary<string, RenderTime> RenderDelta(Snapshot before) =>
            MeanDelta(before.RenderCountByRenderer, RenderCountByRenderer, before.RenderSecondsByRenderer, RenderSecondsByRenderer);

        /// <summary>Tool processes in the step, by tool: the cost of a render-cache miss.</summary>
        public Dictionary<string, RenderTime> ToolDelta(Snapshot before) =>
            MeanDelta(before.ToolCountByTool, ToolCountByTool, before.ToolSecondsByTool, ToolSecondsByTool);

        private static Dictionary<string, RenderTime> MeanDelta(Dictionary<string, double> countsBefore, Dictionary<string, double> countsAfter,
            Dictionary<string, double> secondsBefore, Dictionary<string, double> secondsAfter)
        {
            var counts = PromText.Delta(countsBefore, countsAfter);
            var seconds = PromText.Delta(secondsBefore, secondsAfter);
            return counts.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key,
                kv => new RenderTime(kv.Value, Math.Round(seconds.GetValueOrDefault(kv.Key) / kv.Value * 1000, 2)), StringComparer.Ordinal);
        }

        public Dictionary<string, long> GitDelta(Snapshot before) =>
            Git.Select(kv => (Key: $"{kv.Key.Repo}/{kv.Key.Kind}", Value: kv.Value - before.Git.GetValueOrDefault(kv.Key))).Where(x => x.Value != 0)
                .OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The counters now. Requests served, by verb: the sandbox's own count; on an existing cluster (whose
    /// metrics we may not read) the operator's count of what it sent, so a write it makes still shows.
    /// </summary>
    private async Task<Snapshot> SnapshotAsync(CancellationToken ct, bool perApp = false)
    {
        var sandbox = _clusters is not null ? await _clusters.RequestsByVerbAsync(_http, ct)
            : _servedRequestsMeasured && await _clusterMetrics!.ScrapeAsync(ct) is { } served ? new() { [ClusterRef.InClusterName] = ClusterMetrics.ByVerb(served) }
            : null;
        var scrapes = _clusters is null ? 0 : Interlocked.Increment(ref _sandboxScrapes);
        var op = PromText.Parse(await _http.GetStringAsync(new Uri(_operatorUrl, "/metrics"), ct));
        const string reconcile = "gitops_app_reconcile_duration_seconds_count";
        return new Snapshot(
            sandbox ?? new() { [ClusterRef.InClusterName] = op.SumBy("gitops_kube_requests_total", "verb") },
            op.SumBy("gitops_kube_requests_total", "verb"),
            _repos.Snapshot(),
            op.Sum("gitops_render_processes_started_total"),
            op.Sum("gitops_render_duration_seconds_count"),
            op.Sum("gitops_render_cache_lookups_total", l => l.GetValueOrDefault("result") == "miss"),
            op.SumBy("gitops_render_duration_seconds_count", "renderer"),
            op.SumBy("gitops_render_duration_seconds_sum", "renderer"),
            op.SumBy("gitops_render_tool_duration_seconds_count", "tool"),
            op.SumBy("gitops_render_tool_duration_seconds_sum", "tool"),
            op.SumBy("gitops_desired_state_cache_lookups_total", "result"),
            op.Sum(reconcile),
            perApp ? op.SumBy(reconcile, "name", l => l.GetValueOrDefault("namespace") == AppNamespace) : [],
            scrapes);
    }

    private void MarkStep(string step)
    {
        var samples = _clusters?.SampleNow() ?? [];
        samples["operator"] = _operatorSampler.SampleNow();
        if (_clusterSampler is not null) samples[ClusterProcess] = _clusterSampler.SampleNow();
        _marks.Mark(step, samples);
    }

    /// <summary>The key of an existing cluster's processes (--cluster-pid) in the step marks.</summary>
    private const string ClusterProcess = "cluster";

    private static readonly ProcessUsage NotMeasured = new(double.NaN, double.NaN, double.NaN, double.NaN, new Dictionary<string, double>(), new Dictionary<string, double>(), []);

    private IReadOnlyList<TargetRow> Targets(RawApplyResult raw, ColdSyncResult cold, ResyncResult resync, DriftResult drift, WebhookResult webhook, ProcessUsage op)
    {
        static string F(double v, string format) => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
        var n = _options.Apps;
        return
        [
            new($"cold sync of {n} apps", "< 60 s", $"{F(cold.Seconds, "0.0")} s", cold.NotSynced == 0 && cold.Seconds < 60, ColdSyncLimit()),
            new("cold sync vs raw apply", ">= 0.8 x", $"{F(cold.RatioToLimit, "0.00")} x ({F(cold.ObjectsPerSecond, "0")} vs {F(raw.ObjectsPerSecond, "0")} objects/s, namespaces included; {F(cold.ObjectsPerSecond / raw.ObjectsAlonePerSecond, "0.00")} x the objects alone)" +
                (double.IsNaN(raw.SettledObjectsPerSecond) ? "" : $"; {F(cold.ObjectsPerSecond / raw.SettledObjectsPerSecond, "0.00")} x the raw apply until its Deployments were available ({F(raw.SettledObjectsPerSecond, "0")} objects/s)"), cold.RatioToLimit >= 0.8,
                $"CPU per object: the {ApiServerName} {1000 * _coldCores.Sandbox * _coldWall / (n * _options.Objects):0.0} ms in the loop against {1000 * raw.SandboxCpuSeconds / raw.Objects:0.0} ms in the raw loop " +
                $"(the operator's {cold.OperatorRequestsByVerb.Values.Sum() / Math.Max(1, n * _options.Objects):0.0} requests per object: namespace, events, status; workload status; watch fan-out), plus the operator's own {1000 * _coldCores.Operator * _coldWall / (n * _options.Objects):0.0} ms on the same cores"),
            new("no-op resync writes", "0", F(resync.Writes, "0"), resync.Writes == 0, "nothing: a no-op reconcile reads from watch-fed caches"),
            new("no-op resync remote ls", $"<= 1 per repo per interval ({_options.Repos} repos)", $"{resync.RemoteLs} ({resync.MaxLsPerRepo} max per repo in {F(resync.Seconds, "0")} s)",
                resync.MaxLsPerRepo <= Math.Ceiling(resync.Seconds / resync.IntervalSeconds), "the resolve cache: one ls per repository and interval"),
            new("no-op resync renders", "0 renderer processes", $"{F(resync.RenderProcesses, "0")} processes, {F(resync.RenderStageRuns, "0")} render stages run ({F(resync.RenderCacheMisses, "0")} cache misses)",
                resync.RenderProcesses == 0, "the desired-state and render caches (content-addressed checkouts)"),
            new("drift healed p99", "< 2 s", $"{F(drift.Heal.P99Ms, "0")} ms (p50 {F(drift.Heal.P50Ms, "0")}, p95 {F(drift.Heal.P95Ms, "0")}, max {F(drift.Heal.MaxMs, "0")})", drift.Heal.Missing == 0 && drift.Heal.P99Ms < 2000,
                "watch delivery + work-queue wait behind other apps' reconciles + one reconcile (dry run, apply)"),
            new("webhook to applied p99", "< 3 s", $"{F(webhook.Applied.P99Ms, "0")} ms (p50 {F(webhook.Applied.P50Ms, "0")}, max {F(webhook.Applied.MaxMs, "0")})", webhook.Applied.Missing == 0 && webhook.Applied.P99Ms < 3000,
                _options.WebhookFiles
                    ? $"one ls + one fetch, then the {webhook.AppsChanged} apps whose paths the push's changed files touch, queued ahead of the other {webhook.AppsOnRepo - webhook.AppsChanged} of the repository, over {_options.Workers} workers"
                    : $"every app of the pushed repository ({webhook.AppsOnRepo}) is re-queued in no order (the payload lists no files): one ls + one fetch, then {webhook.AppsOnRepo} reconciles over {_options.Workers} workers"),
            new($"operator RSS at {n} apps", "< 150 MiB", $"peak {F(op.PeakRssMiB, "0")} MiB, steady {F(op.SteadyRssMiB, "0")} MiB", op.PeakRssMiB < 150,
                $"what the process holds when ready, before the first app ({op.RssMiBAtEndOfStep.GetValueOrDefault("startup", double.NaN):0} MiB: a native build's touched code pages and the type data it rehydrates at start, or the runtime, assemblies and JIT code), then the GC heap: cached managed objects and Applications (UTF-8 JSON), the desired-state and diff caches, GC headroom"),
        ];
    }

    // ---- An existing cluster (--kubeconfig) ----------------------------------------------------

    private static async Task<string> DescribeClusterAsync(string kubeconfig, CancellationToken ct)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        var api = KubeApi.FromConfig(config);
        try
        {
            var version = await api.GetAsync("/version", ct);
            return $"{config.Host} ({(string?)version?["gitVersion"] ?? "version unknown"})";
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            throw new BenchException($"--kubeconfig {kubeconfig}: cannot reach {config.Host}: {e.Message}");
        }
        finally
        {
            api.Dispose();
        }
    }

    /// <summary>What the run made on an existing cluster, but the CRD: the Applications, then the apps' namespaces and the benchmark's.</summary>
    private async ValueTask DeleteBenchObjectsAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _api.SendAsync(HttpMethod.Delete, $"/apis/gitops.dev/v1alpha1/namespaces/{AppNamespace}/applications", null, "application/json", cts.Token);
        await _api.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/default/secrets/{WebhookSecretName}", null, "application/json", cts.Token);
        await DeleteNamespacesAsync(_api, [.. _repos.Apps.Select(a => a.Name), AppNamespace]);
    }

    /// <summary>How many of the run's Deployments (in namespaces PREFIX&lt;app&gt;) report an available replica.</summary>
    private async Task<int> AvailableDeploymentsAsync(KubeApi api, string prefix, CancellationToken ct)
    {
        var ours = _repos.Apps.Select(a => prefix + a.Name).ToHashSet(StringComparer.Ordinal);
        var list = await api.GetAsync($"/apis/apps/v1/deployments?labelSelector={Uri.EscapeDataString(ManagedBy)}", ct);
        return (list?["items"] as JsonArray ?? []).Count(d => ours.Contains((string?)d?["metadata"]?["namespace"] ?? "") && ((long?)d?["status"]?["availableReplicas"] ?? 0) > 0);
    }

    /// <summary>
    /// On an existing cluster, deleted namespaces terminate in the background (the cluster deletes what they
    /// hold first) and applying into one fails: wait for them to be gone (15 minutes at most: 1,000 take 3.5 min on this machine, over 5 with the cluster on one core).
    /// </summary>
    private async Task WaitForNamespacesGoneAsync(KubeApi api, IReadOnlyList<string> namespaces, string whose, CancellationToken ct)
    {
        var ours = namespaces.ToHashSet(StringComparer.Ordinal);
        async Task<int> LeftAsync() => ((await api.GetAsync("/api/v1/namespaces", ct))?["items"] as JsonArray ?? [])
            .Count(n => ours.Contains((string?)n?["metadata"]?["name"] ?? ""));
        var left = await LeftAsync();
        if (left == 0) return;
        Say($"   waiting for {left} namespaces {whose} to finish terminating");
        var sw = Stopwatch.StartNew();
        await WaitForAsync(async () => await LeftAsync() == 0, TimeSpan.FromMinutes(15), $"the namespaces {whose} to be deleted", ct);
        Say($"   gone after {sw.Elapsed.TotalSeconds:0.0}s");
    }

    /// <summary>Deletes the namespaces (the cluster finishes it in the background); one that is already gone is fine.</summary>
    private async ValueTask DeleteNamespacesAsync(KubeApi api, IReadOnlyList<string> namespaces)
    {
        Say($"   deleting {namespaces.Count} namespaces of the run");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Parallel.ForEachAsync(namespaces, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cts.Token }, async (ns, token) =>
        {
            try
            {
                await api.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}", null, "application/json", token);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
        });
    }

    // ---- Plumbing -----------------------------------------------------------------------------

    private static KubeApi Api(string kubeconfig) => KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

    private async Task ApplyAsync(string path, JsonObject body, CancellationToken ct) =>
        await _api.SendAsync(HttpMethod.Patch, $"{path}?fieldManager=gitops-bench&force=true", body.ToJsonString(), "application/apply-patch+yaml", ct);

    private static Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct, bool throwOnTimeout = true) =>
        Waiting.ForAsync(condition, timeout, what, ct, throwOnTimeout);

    /// <summary>What serves the API in the figures: the sandbox(es), or an existing cluster's measured processes.</summary>
    private string ApiServerName => _options.Clusters > 1 ? $"{_options.Clusters} sandboxes"
        : !External ? "sandbox"
        : _clusterSampler is not null ? "cluster's processes" : "cluster (not measured)";

    /// <summary>Whether the cold sync ran out of CPU or waited on round trips, from the cores the processes kept busy.</summary>
    private string ColdSyncLimit()
    {
        var (o, r, sb, b) = _coldCores;
        var busy = o + r + sb + b;
        var sandbox = ApiServerName;
        var perApp = $"per app the operator spent {1000 * o * _coldWall / _options.Apps:0} ms of CPU, its renderer processes {1000 * r * _coldWall / _options.Apps:0} ms and the {sandbox} {1000 * sb * _coldWall / _options.Apps:0} ms";
        var cores = $"operator {o:0.00}, renderers {r:0.00}, {sandbox} {sb:0.00}, benchmark and Git server {b:0.00}";
        var machineCores = CoreSplit.MachineCores();
        var bound = busy >= 0.75 * machineCores
            ? $"CPU: {busy:0.00} of {machineCores} cores busy ({cores}); {perApp}"
            : $"round trips, not CPU ({busy:0.00} of {machineCores} cores busy: {cores}): {_options.Workers} workers x about 5 sequential API round trips per app; {perApp}";
        return bound + "; each app takes a second reconcile once its Deployment and HPA report ready";
    }

    /// <summary>The benchmark's CPU seconds with its waited-for children's (git http-backend, git push).</summary>
    private static double BenchCpuSeconds() => ProcessSampler.Read(Environment.ProcessId, Stopwatch.GetTimestamp()) is { } s ? s.CpuSeconds + s.ChildCpuSeconds : Environment.CpuUsage.TotalTime.TotalSeconds;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Show<T>(IReadOnlyDictionary<string, T> d) => d.Count == 0 ? "none" : string.Join(", ", d.Select(kv => $"{kv.Key}={kv.Value}"));

    private static string? FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "GitOps.Operator.sln"))) return dir.FullName;
        }
        return null;
    }

    /// <summary>--gitops, else the operator project's build output of this build's configuration, else gitops.dll next to this program.</summary>
    private string LocateGitOps()
    {
        if (_options.GitOpsPath is { } explicitPath)
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new BenchException($"--gitops {explicitPath}: no such file");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var candidates = new List<string>();
        if (_repoRoot is not null)
        {
            candidates.Add(Path.Combine(_repoRoot, "src", "GitOps.Operator", "bin", configuration, "net10.0", "gitops.dll"));
            candidates.Add(Path.Combine(_repoRoot, "src", "GitOps.Operator", "bin", configuration == "Debug" ? "Release" : "Debug", "net10.0", "gitops.dll"));
        }
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
        return candidates.FirstOrDefault(c => File.Exists(c) && File.Exists(Path.ChangeExtension(c, ".runtimeconfig.json")))
            ?? throw new BenchException($"cannot find gitops.dll (looked at {string.Join(", ", candidates)}); build src/GitOps.Operator or pass --gitops");
    }

    private Machine MachineInfo()
    {
        string Read(string file, string prefix) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "" : "";
        var memKb = Read("/proc/meminfo", "MemTotal").Split(' ')[0];
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
        string? Git(params string[] args)
        {
            if (_repoRoot is null) return null;
            try { return LoopbackGitServer.RunGitAsync(["-C", _repoRoot, .. args], null, CancellationToken.None).GetAwaiter().GetResult(); }
            catch (DemoException) { return null; }
        }
        return new Machine(CoreSplit.MachineCores(), double.TryParse(memKb, CultureInfo.InvariantCulture, out var kb) ? Math.Round(kb / 1024) : double.NaN,
            Read("/proc/cpuinfo", "model name"), System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, Git("rev-parse", "--short=12", "HEAD"), Git("log", "-1", "--format=%s"), load);
    }

    private string CommandLine() =>
        "dotnet run -c Release --project bench/GitOps.Loop.Bench --" + string.Concat(_options.Arguments.Select(a => " " + a));

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            try { await _cleanup[i](); }
            catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException or HttpRequestException or KubeApiException) { }
        }
        _cleanup.Clear();
        _api?.Dispose();
        _http.Dispose();
    }
}
