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
    private readonly Dictionary<string, (double Operator, double Sandbox)> _cpuAtStepEnd = [];
    private readonly Dictionary<string, (double Operator, double Sandbox)> _rssAtStepEnd = [];
    private (double Operator, double Sandbox, double Bench) _coldCores;
    private double _coldWall;
    private string _work = "";
    private string _gitops = "";
    private string? _repoRoot;
    private ConfigRepos _repos = null!;
    private KubeApi _api = null!;
    private Uri? _sandboxUrl;
    private Uri _operatorUrl = null!;
    private ProcessSampler _operatorSampler = null!;
    private ProcessSampler? _sandboxSampler;
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
        _work = _options.WorkDirectory ?? Directory.CreateTempSubdirectory("gitops-loop-bench-").FullName;
        Directory.CreateDirectory(_work);
        if (_options.WorkDirectory is null) _cleanup.Add(() => { TryDelete(_work); return ValueTask.CompletedTask; });
        var p = _options;
        Say($"GitOps loop benchmark: {p.Apps} apps x {p.Objects} objects, {p.Repos} repos, {p.Workers} workers, interval {p.ResyncInterval.TotalSeconds:0}s; gitops {_gitops}; work {_work}");

        if (External) _cluster = await DescribeClusterAsync(_options.Kubeconfig!, ct);
        _repos = await ConfigRepos.CreateAsync(p, _work, ct);
        _cleanup.Add(() => _repos.DisposeAsync());
        Say($"Git: {p.Repos} repositories on {_repos.Urls[0][..(_repos.Urls[0].LastIndexOf('/') + 1)]}, {_repos.Apps.Count(a => a.Renderer == "kustomize")} of the apps render with Kustomize, {_repos.Apps.Count(a => a.Renderer == "helm")} with Helm");

        var raw = await RawApplyAsync(ct);
        await StartLoopAsync(ct);
        var cold = await ColdSyncAsync(raw, ct);
        var resync = await ResyncAsync(ct);
        var drift = await DriftAsync(ct);
        var webhook = await WebhookAsync(ct);

        var operatorUsage = Usage(_operatorSampler, o => o.Operator);
        var sandboxUsage = _sandboxSampler is null ? NotMeasured : Usage(_sandboxSampler, o => o.Sandbox);
        var results = new BenchResults(
            startedAt.ToString("O", CultureInfo.InvariantCulture), Math.Round(Now, 1), CommandLine(), MachineInfo(),
            new Parameters(p.Apps, p.Objects, p.Repos, _repos.Apps.Count(a => a.Renderer == "kustomize"), _repos.Apps.Count(a => a.Renderer == "helm"), p.Workers, p.EffectiveRawConcurrency, p.ResyncInterval.TotalSeconds, p.DriftObjects, p.WebhookApps, p.Quick, _cluster),
            raw, cold, resync, drift, webhook, operatorUsage, sandboxUsage,
            Targets(raw, cold, resync, drift, webhook, operatorUsage), _notes);
        var output = ResultsWriter.Write(results, _options.OutputDirectory ?? Path.Combine(_repoRoot ?? Environment.CurrentDirectory, "bench", "results"), _options.Tag);
        Say($"wrote {output.JsonPath} and {output.MarkdownPath}");
        _log.WriteLine(ResultsWriter.Table(results));
        return output;
    }

    // ---- Step 1: the limit ----------------------------------------------------------------

    private async Task<RawApplyResult> RawApplyAsync(CancellationToken ct)
    {
        var concurrency = _options.EffectiveRawConcurrency;
        // On an existing cluster the raw objects go to namespaces of their own (raw-<app>), deleted after the step.
        var prefix = External ? "raw-" : "";
        Say($"1. Raw limit: server-side apply of the same {_options.Apps * _options.Objects} objects, {concurrency} requests in flight, {(External ? $"namespaces {prefix}<app> of {_cluster}" : "fresh sandbox")}");
        var (sandbox, _) = External ? (null, null) : await StartSandboxAsync("raw", ct);
        await using (sandbox)
        {
            var api = Api(_options.Kubeconfig ?? Path.Combine(_work, "raw", "kubeconfig"));
            var namespaces = _repos.Apps.Select(app => prefix + app.Name).ToList();
            await Parallel.ForEachAsync(namespaces, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (ns, token) =>
                await api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}?fieldManager=gitops-operator&force=true",
                    new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }.ToJsonString(),
                    "application/apply-patch+yaml", token));
            if (External) _cleanup.Add(() => DeleteNamespacesAsync(namespaces));
            var work = _repos.Apps.SelectMany(app => AppManifests.For(app.Name, _options.Objects).Select(o => (Path: o.Path(prefix + app.Name), Body: ApplyBody(app, o, prefix + app.Name)))).ToList();
            await using var sampler = sandbox is null ? null : new ProcessSampler(sandbox.Pid, _origin, _options.SampleInterval);
            var cpu0 = sampler?.SampleNow()?.CpuSeconds ?? 0;
            var errors = 0;
            var sw = Stopwatch.StartNew();
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (w, token) =>
            {
                try
                {
                    await api.SendAsync(HttpMethod.Patch, w.Path + "?fieldManager=gitops-operator&force=true", w.Body, "application/apply-patch+yaml", token);
                }
                catch (KubeApiException)
                {
                    Interlocked.Increment(ref errors);
                }
            });
            var seconds = sw.Elapsed.TotalSeconds;
            var cpu = sampler is null ? double.NaN : (sampler.SampleNow()?.CpuSeconds ?? cpu0) - cpu0;
            var result = new RawApplyResult(work.Count, concurrency, Math.Round(seconds, 2), Math.Round(work.Count / seconds, 1), errors, Math.Round(cpu, 2));
            Say($"   {work.Count} objects in {seconds:0.00}s = {result.ObjectsPerSecond:0} objects/s ({errors} errors; API server CPU {(double.IsNaN(cpu) ? "not measured" : $"{cpu:0.0}s")})");
            api.Client.Dispose();
            return result;
        }
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
            var (sandbox, url) = await StartSandboxAsync("loop", ct);
            _cleanup.Add(() => sandbox.DisposeAsync());
            _sandboxUrl = url;
            var sampler = _sandboxSampler = new ProcessSampler(sandbox.Pid, _origin, _options.SampleInterval);
            _cleanup.Add(() => sampler.DisposeAsync());
            kubeconfig = Path.Combine(_work, "loop", "kubeconfig");
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

        // A cluster's HPA controller writes conditions; the sandbox has none, so the benchmark stands in for it
        // (on a cluster with its own controller it writes only to an HPA that has no conditions yet).
        var hpa = new HpaStandIn(_api);
        var hpaWatch = await Watching.StartAsync(_api, "/apis/autoscaling/v2/horizontalpodautoscalers", ManagedBy, initialList: true, hpa.OnEvent);
        _cleanup.Add(() => hpaWatch.DisposeAsync());
        _cleanup.Add(() => hpa.DisposeAsync());
        var appWatch = await Watching.StartAsync(_api, $"/apis/gitops.dev/v1alpha1/namespaces/{AppNamespace}/applications", null, initialList: true, _tracker.OnEvent);
        _cleanup.Add(() => appWatch.DisposeAsync());
    }

    private async Task<(ChildProcess Process, Uri Url)> StartSandboxAsync(string name, CancellationToken ct)
    {
        var dir = Path.Combine(_work, name);
        Directory.CreateDirectory(dir);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var process = ChildProcess.Start(_gitops, ["sandbox", "--listen", "127.0.0.1:0", "--kubeconfig-out", kubeconfig], Path.Combine(dir, "sandbox.log"));
        try
        {
            await WaitForAsync(() =>
            {
                if (process.HasExited) throw new BenchException($"the sandbox exited: {process.Tail()}");
                return Task.FromResult(File.Exists(kubeconfig) && File.ReadAllText(kubeconfig).Contains("current-context", StringComparison.Ordinal));
            }, TimeSpan.FromSeconds(60), "the sandbox to write its kubeconfig", ct);
            var server = File.ReadAllLines(kubeconfig).Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
            _cluster = $"sandbox at {server}";
            return (process, new Uri(server.TrimEnd('/') + "/"));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    // ---- Step 2: cold sync ------------------------------------------------------------------

    private async Task<ColdSyncResult> ColdSyncAsync(RawApplyResult raw, CancellationToken ct)
    {
        var apps = _repos.Apps;
        Say($"2. Cold sync: creating {apps.Count} Applications ({_options.Objects} objects each) in namespace {AppNamespace}");
        MarkStep("startup");
        var before = await SnapshotAsync(ct);
        var (op0, sb0, self0) = (_operatorSampler.SampleNow()?.CpuSeconds ?? 0, _sandboxSampler?.SampleNow()?.CpuSeconds ?? 0, Environment.CpuUsage.TotalTime.TotalSeconds);
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
        var wall = _coldWall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var sandboxCores = _sandboxSampler is null ? 0 : (_cpuAtStepEnd["cold sync"].Sandbox - sb0) / wall;
        _coldCores = ((_cpuAtStepEnd["cold sync"].Operator - op0) / wall, sandboxCores, (Environment.CpuUsage.TotalTime.TotalSeconds - self0) / wall);
        _notes.Add($"cold sync: cores busy on average: operator {_coldCores.Operator:0.00}, sandbox {_coldCores.Sandbox:0.00}, the benchmark itself {_coldCores.Bench:0.00} (of {Environment.ProcessorCount}; load average {LoadAverage()})");
        var objectsPerSecond = apps.Count * _options.Objects / seconds;
        var result = new ColdSyncResult(
            Math.Round(seconds, 2), Math.Round(created, 2), Math.Round(reached.Count == 0 ? double.NaN : reached.Min(), 2), Math.Round(objectsPerSecond, 1),
            Math.Round(objectsPerSecond / raw.ObjectsPerSecond, 3),
            Latency.Of([.. reached.Select(s => s * 1000)], notSynced), notSynced,
            after.SandboxDelta(before), after.OperatorDelta(before), after.GitDelta(before),
            after.RenderProcesses - before.RenderProcesses, after.Reconciles - before.Reconciles, after.RenderDelta(before), after.ToolDelta(before), after.DesiredCacheDelta(before));
        if (notSynced > 0)
        {
            _notes.Add($"cold sync: {notSynced} apps were not Synced and Healthy within {_options.StageTimeout.TotalSeconds:0}s: {string.Join(", ", _tracker.Describe(expected.Where(kv => _tracker.ReachedAt(kv.Key, kv.Value) is null).Take(5).Select(kv => kv.Key)))}");
            Say($"   NOT all synced: {_notes[^1]}");
        }
        Say($"   {apps.Count - notSynced}/{apps.Count} apps Synced and Healthy in {seconds:0.0}s = {objectsPerSecond:0} objects/s = {result.RatioToLimit:0.00} x the raw limit; {result.Reconciles} reconciles, {result.RenderProcesses} renderer processes");
        return result;
    }

    private JsonObject ApplicationObject(BenchApp app) => new()
    {
        ["apiVersion"] = "gitops.dev/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = app.Name, ["namespace"] = AppNamespace },
        ["spec"] = new JsonObject
        {
            ["source"] = new JsonObject { ["repoURL"] = _repos.Urls[app.Repo], ["targetRevision"] = "main", ["path"] = app.Path },
            ["destination"] = new JsonObject { ["namespace"] = app.Name },
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
            sandbox, after.OperatorDelta(before), WriteVerbs.Sum(v => sandbox.GetValueOrDefault(v)), git,
            git.Where(kv => kv.Key.EndsWith("/ls", StringComparison.Ordinal)).Sum(kv => kv.Value),
            (int)(lsPerRepo.Count == 0 ? 0 : lsPerRepo.Values.Max()),
            git.Where(kv => kv.Key.EndsWith("/fetch", StringComparison.Ordinal)).Sum(kv => kv.Value),
            after.RenderProcesses - before.RenderProcesses, after.RenderRuns - before.RenderRuns, after.RenderCacheMisses - before.RenderCacheMisses, after.RenderDelta(before), after.DesiredCacheDelta(before));
        Say($"   {result.Reconciles} reconciles of {result.AppsReconciled} apps in {seconds:0.0}s: {result.Writes} writes, requests by verb {Show(sandbox)}; " +
            $"Git {Show(git)}; {result.RenderProcesses} renderer processes, {result.RenderStageRuns} render stages run ({result.RenderCacheMisses} render-cache misses)");
        return result;
    }

    // ---- Step 4: drift ----------------------------------------------------------------------

    private async Task<DriftResult> DriftAsync(CancellationToken ct)
    {
        var k = Math.Min(_options.DriftObjects, _repos.Apps.Count);
        Say($"4. Drift: editing ConfigMap {AppManifests.ConfigMapName} by hand in {k} apps, one every {_options.DriftSpacing.TotalMilliseconds:0} ms");
        var targets = Enumerable.Range(0, k).Select(i => _repos.Apps[(int)((long)i * _repos.Apps.Count / Math.Max(1, k))]).ToList();
        var original = targets.ToDictionary(a => a.Name, a => AppManifests.Greeting(a.Name, 1), StringComparer.Ordinal);
        var edited = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var sawDrift = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var healed = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        await using (await Watching.StartAsync(_api, "/api/v1/configmaps", ManagedBy, initialList: false, (type, obj, at) =>
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
                await _api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{app.Name}/configmaps/{AppManifests.ConfigMapName}?fieldManager=kubectl-edit",
                    $$$"""{"data":{"{{{AppManifests.GreetingKey}}}":"edited by hand"}}""", "application/merge-patch+json", ct);
                await Task.Delay(_options.DriftSpacing, ct);
            }
            await WaitForAsync(() => Task.FromResult(healed.Count == targets.Count), TimeSpan.FromSeconds(Math.Min(60, _options.StageTimeout.TotalSeconds)), "every drifted object to be healed", ct, throwOnTimeout: false);
            var after = await SnapshotAsync(ct);
            MarkStep("drift");
            var ms = healed.Select(kv => (double)(kv.Value - edited[kv.Key]) * 1000 / Stopwatch.Frequency).ToList();
            var result = new DriftResult(targets.Count, Latency.Of(ms, targets.Count - healed.Count));
            Say($"   healed {healed.Count}/{targets.Count}: p50 {result.Heal.P50Ms} ms, p95 {result.Heal.P95Ms} ms, p99 {result.Heal.P99Ms} ms, max {result.Heal.MaxMs} ms; requests by verb {Show(after.SandboxDelta(before))}");
            if (result.Heal.Missing > 0) _notes.Add($"drift: {result.Heal.Missing} of {targets.Count} edits were not healed within 60s");
            return result;
        }
    }

    // ---- Step 5: webhook --------------------------------------------------------------------

    private async Task<WebhookResult> WebhookAsync(CancellationToken ct)
    {
        const int repo = 0;
        var onRepo = _repos.Apps.Where(a => a.Repo == repo).ToList();
        var changed = onRepo.Take(Math.Min(_options.WebhookApps, onRepo.Count)).ToList();
        Say($"5. Webhook: one commit to {ConfigRepos.RepoName(repo)} changes {changed.Count} of its {onRepo.Count} apps; push, POST /api/webhook, time until applied");
        var want = changed.ToDictionary(a => a.Name, a => AppManifests.Greeting(a.Name, 2), StringComparer.Ordinal);
        var applied = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        await using (await Watching.StartAsync(_api, "/api/v1/configmaps", ManagedBy, initialList: false, (type, obj, at) =>
        {
            var ns = (string?)obj["metadata"]?["namespace"] ?? "";
            if ((string?)obj["metadata"]?["name"] == AppManifests.ConfigMapName && want.TryGetValue(ns, out var w) && (string?)obj["data"]?[AppManifests.GreetingKey] == w)
                applied.TryAdd(ns, at);
        }))
        {
            var before = await SnapshotAsync(ct);
            var pushStart = Stopwatch.GetTimestamp();
            var sha = await _repos.PushRevisionAsync(repo, changed, _options.Objects, 2, ct);
            var pushSeconds = Stopwatch.GetElapsedTime(pushStart).TotalSeconds;
            var posted = Stopwatch.GetTimestamp();
            await PostWebhookAsync(_repos.Urls[repo], sha, ct);
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
                after.GitDelta(before), after.RenderProcesses - before.RenderProcesses, after.SandboxDelta(before));
            Say($"   applied {applied.Count}/{changed.Count} after the webhook: p50 {result.Applied.P50Ms} ms, p99 {result.Applied.P99Ms} ms, max {result.Applied.MaxMs} ms; " +
                $"all {onRepo.Count} apps of the repo at the new revision after {result.AllAppsOnRepoAtNewRevisionSeconds:0.0}s; Git {Show(result.GitRequests)}; {result.RenderProcesses} renderer processes");
            if (result.Applied.Missing > 0) _notes.Add($"webhook: {result.Applied.Missing} of {changed.Count} changed apps were not applied in time");
            return result;
        }
    }

    private async Task PostWebhookAsync(string repoUrl, string sha, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["after"] = sha,
            ["repository"] = new JsonObject { ["clone_url"] = repoUrl },
        }.ToJsonString();
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

    private sealed record Snapshot(
        Dictionary<string, double> Sandbox,
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
        public Dictionary<string, double> SandboxDelta(Snapshot before)
        {
            var d = PromText.Delta(before.Sandbox, Sandbox);
            // The benchmark's own /metrics reads show up as "discovery" requests.
            var own = SandboxScrapes - before.SandboxScrapes;
            if (d.TryGetValue("discovery", out var n)) { if (n - own > 0) d["discovery"] = n - own; else d.Remove("discovery"); }
            return d;
        }

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
        var sandbox = _sandboxUrl is null ? null : PromText.Parse(await _http.GetStringAsync(new Uri(_sandboxUrl, "/metrics"), ct));
        var scrapes = _sandboxUrl is null ? 0 : Interlocked.Increment(ref _sandboxScrapes);
        var op = PromText.Parse(await _http.GetStringAsync(new Uri(_operatorUrl, "/metrics"), ct));
        const string reconcile = "gitops_app_reconcile_duration_seconds_count";
        return new Snapshot(
            sandbox?.SumBy("sandbox_requests_total", "verb") ?? op.SumBy("gitops_kube_requests_total", "verb"),
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
        var o = _operatorSampler.SampleNow();
        var s = _sandboxSampler?.SampleNow();
        _cpuAtStepEnd[step] = (o?.CpuSeconds ?? double.NaN, s?.CpuSeconds ?? double.NaN);
        _rssAtStepEnd[step] = (o?.RssMiB ?? double.NaN, s?.RssMiB ?? double.NaN);
    }

    private static readonly ProcessUsage NotMeasured = new(double.NaN, double.NaN, double.NaN, double.NaN, new Dictionary<string, double>(), new Dictionary<string, double>(), []);

    private ProcessUsage Usage(ProcessSampler sampler, Func<(double Operator, double Sandbox), double> pick)
    {
        var last = sampler.SampleNow();
        var samples = sampler.Samples;
        var cpuByStep = new Dictionary<string, double>(StringComparer.Ordinal);
        var previous = 0.0;
        foreach (var (step, cpu) in _cpuAtStepEnd)
        {
            cpuByStep[step] = Math.Round(pick(cpu) - previous, 2);
            previous = pick(cpu);
        }
        var rssByStep = _rssAtStepEnd.ToDictionary(kv => kv.Key, kv => Math.Round(pick(kv.Value), 1), StringComparer.Ordinal);
        var peak = Math.Max(sampler.PeakRssMiB() ?? 0, samples.Count == 0 ? 0 : samples.Max(s => s.RssMiB));
        // Steady: the RSS at the end of the no-op resync pass (all apps synced, caches warm, nothing changing).
        var steady = rssByStep.GetValueOrDefault("no-op resync", double.NaN);
        // Keep the samples file small: at most ~400 points.
        var stride = Math.Max(1, samples.Count / 400);
        var thin = samples.Where((_, i) => i % stride == 0).Select(s => s with { AtSeconds = Math.Round(s.AtSeconds, 2), RssMiB = Math.Round(s.RssMiB, 1), CpuSeconds = Math.Round(s.CpuSeconds, 2), ChildCpuSeconds = Math.Round(s.ChildCpuSeconds, 2) }).ToList();
        return new ProcessUsage(Math.Round(peak, 1), steady, Math.Round(last?.CpuSeconds ?? double.NaN, 2), Math.Round(last?.ChildCpuSeconds ?? double.NaN, 2), cpuByStep, rssByStep, thin);
    }

    private IReadOnlyList<TargetRow> Targets(RawApplyResult raw, ColdSyncResult cold, ResyncResult resync, DriftResult drift, WebhookResult webhook, ProcessUsage op)
    {
        static string F(double v, string format) => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
        var n = _options.Apps;
        return
        [
            new($"cold sync of {n} apps", "< 60 s", $"{F(cold.Seconds, "0.0")} s", cold.NotSynced == 0 && cold.Seconds < 60, ColdSyncLimit()),
            new("cold sync vs raw apply", ">= 0.8 x", $"{F(cold.RatioToLimit, "0.00")} x ({F(cold.ObjectsPerSecond, "0")} vs {F(raw.ObjectsPerSecond, "0")} objects/s)", cold.RatioToLimit >= 0.8,
                $"CPU per object: the sandbox {1000 * _coldCores.Sandbox * _coldWall / (n * _options.Objects):0.0} ms in the loop against {1000 * raw.SandboxCpuSeconds / raw.Objects:0.0} ms in the raw loop " +
                $"(the operator's {cold.OperatorRequestsByVerb.Values.Sum() / Math.Max(1, n * _options.Objects):0.0} requests per object: namespace, events, status; workload status; watch fan-out), plus the operator's own {1000 * _coldCores.Operator * _coldWall / (n * _options.Objects):0.0} ms on the same cores"),
            new("no-op resync writes", "0", F(resync.Writes, "0"), resync.Writes == 0, "nothing: a no-op reconcile reads from watch-fed caches"),
            new("no-op resync remote ls", $"<= 1 per repo per interval ({_options.Repos} repos)", $"{resync.RemoteLs} ({resync.MaxLsPerRepo} max per repo in {F(resync.Seconds, "0")} s)",
                resync.MaxLsPerRepo <= Math.Ceiling(resync.Seconds / resync.IntervalSeconds), "the resolve cache: one ls per repository and interval"),
            new("no-op resync renders", "0 renderer processes", $"{F(resync.RenderProcesses, "0")} processes, {F(resync.RenderStageRuns, "0")} render stages run ({F(resync.RenderCacheMisses, "0")} cache misses)",
                resync.RenderProcesses == 0, "the desired-state and render caches (content-addressed checkouts)"),
            new("drift healed p99", "< 2 s", $"{F(drift.Heal.P99Ms, "0")} ms (p50 {F(drift.Heal.P50Ms, "0")}, p95 {F(drift.Heal.P95Ms, "0")}, max {F(drift.Heal.MaxMs, "0")})", drift.Heal.Missing == 0 && drift.Heal.P99Ms < 2000,
                "watch delivery + work-queue wait behind other apps' reconciles + one reconcile (dry run, apply)"),
            new("webhook to applied p99", "< 3 s", $"{F(webhook.Applied.P99Ms, "0")} ms (p50 {F(webhook.Applied.P50Ms, "0")}, max {F(webhook.Applied.MaxMs, "0")})", webhook.Applied.Missing == 0 && webhook.Applied.P99Ms < 3000,
                $"every app of the pushed repository ({webhook.AppsOnRepo}) is re-queued: one ls + one fetch, then {webhook.AppsOnRepo} reconciles over {_options.Workers} workers"),
            new($"operator RSS at {n} apps", "< 150 MiB", $"peak {F(op.PeakRssMiB, "0")} MiB, steady {F(op.SteadyRssMiB, "0")} MiB", op.PeakRssMiB < 150,
                $"the runtime, mapped assemblies and JIT code ({op.RssMiBAtEndOfStep.GetValueOrDefault("startup", double.NaN):0} MiB when ready, before the first app), then the GC heap: cached managed objects and Applications (UTF-8 JSON), the diff cache, GC headroom"),
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
            api.Client.Dispose();
        }
    }

    /// <summary>What the run made on an existing cluster, but the CRD: the Applications, then the apps' namespaces and the benchmark's.</summary>
    private async ValueTask DeleteBenchObjectsAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _api.SendAsync(HttpMethod.Delete, $"/apis/gitops.dev/v1alpha1/namespaces/{AppNamespace}/applications", null, "application/json", cts.Token);
        await _api.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/default/secrets/{WebhookSecretName}", null, "application/json", cts.Token);
        await DeleteNamespacesAsync([.. _repos.Apps.Select(a => a.Name), AppNamespace]);
    }

    /// <summary>Deletes the namespaces (the cluster finishes it in the background); one that is already gone is fine.</summary>
    private async ValueTask DeleteNamespacesAsync(IReadOnlyList<string> namespaces)
    {
        Say($"   deleting {namespaces.Count} namespaces of the run");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Parallel.ForEachAsync(namespaces, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cts.Token }, async (ns, token) =>
        {
            try
            {
                await _api.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}", null, "application/json", token);
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

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct, bool throwOnTimeout = true)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                if (throwOnTimeout) throw new BenchException($"gave up after {timeout.TotalSeconds:0}s waiting for {what}");
                return;
            }
            await Task.Delay(50, ct);
        }
    }

    /// <summary>Whether the cold sync ran out of CPU or waited on round trips, from the cores the processes kept busy.</summary>
    private string ColdSyncLimit()
    {
        var (o, sb, b) = _coldCores;
        var busy = o + sb + b;
        var perApp = $"per app the operator spent {1000 * o * _coldWall / _options.Apps:0} ms of CPU and the sandbox {1000 * sb * _coldWall / _options.Apps:0} ms";
        var bound = busy >= 0.75 * Environment.ProcessorCount
            ? $"CPU: {busy:0.00} of {Environment.ProcessorCount} cores busy (operator {o:0.00}, sandbox {sb:0.00}, benchmark {b:0.00}); {perApp}"
            : $"round trips, not CPU ({busy:0.00} of {Environment.ProcessorCount} cores busy: operator {o:0.00}, sandbox {sb:0.00}, benchmark {b:0.00}): {_options.Workers} workers x about 5 sequential API round trips per app; {perApp}";
        return bound + "; each app takes a second reconcile once its Deployment and HPA report ready";
    }

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
        return new Machine(Environment.ProcessorCount, double.TryParse(memKb, CultureInfo.InvariantCulture, out var kb) ? Math.Round(kb / 1024) : double.NaN,
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
        _api?.Client.Dispose();
        _http.Dispose();
    }
}
