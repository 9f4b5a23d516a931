using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Applications;
using GitOps.Operator.Status;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Operator.Render;
using GitOps.Sandbox;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Formatting.Display;

namespace GitOps.Operator.Demo;

/// <summary>What the demo saw; it succeeds only when all three happened.</summary>
public sealed record DemoResult(bool Synced, TimeSpan? HealLatency, TimeSpan? RolloutLatency, string RolloutTrigger, string Kubeconfig)
{
    public bool Succeeded => Synced && HealLatency is not null && RolloutLatency is not null;
}

/// <summary>
/// `gitops demo`: the whole GitOps loop on one machine. Starts the sandbox API, a loopback Git server
/// holding a copy of examples/ as a fresh repository, and the operator; creates Applications for the
/// examples; shows them sync; edits a live object and times the heal; commits a change, posts the
/// webhook (signed with a secret the demo creates) and times the
/// rollout. Everything it starts lives under one work directory and is stopped at the end.
/// </summary>
internal sealed class DemoRunner(DemoOptions options, IDemoView view, TextWriter output) : IAsyncDisposable
{
    private const string FieldManager = "gitops-demo";
    private const string HelloNamespace = "hello";
    private const string HelloConfigMap = "hello-config";
    private readonly List<Func<ValueTask>> _cleanup = [];
    private string _work = "";
    private KubeApi _api = null!;
    private readonly string _webhookSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private string _kubeconfig = "";
    private string _repoUrl = "";
    private string _tree = "";
    private Uri _operatorUrl = null!;
    private List<(string Name, string Path)> _apps = [];

    public string Kubeconfig => _kubeconfig;

    /// <summary>Runs the demo up to the rollout; the caller keeps it alive (interactive) or disposes it.</summary>
    public async Task<DemoResult> RunAsync(CancellationToken ct)
    {
        _work = options.WorkDirectory ?? Directory.CreateTempSubdirectory("gitops-demo-").FullName;
        Directory.CreateDirectory(_work);
        if (options.WorkDirectory is null) _cleanup.Add(() => { TryDelete(_work); return ValueTask.CompletedTask; });

        await StartSandboxAsync(ct);
        await StartGitAsync(ct);
        var kustomize = await StartOperatorAsync(ct);
        await CreateApplicationsAsync(kustomize, ct);
        var first = await GitAsync(ct, "rev-parse", "HEAD");
        var synced = await WaitAllSyncedAsync(first, ct);
        var heal = await HealAsync(ct);
        var (rollout, trigger) = await RolloutAsync(ct);
        return new DemoResult(synced, heal, rollout, trigger, _kubeconfig);
    }

    private async Task StartSandboxAsync(CancellationToken ct)
    {
        view.Step("Starting the embedded Kubernetes API sandbox (not a cluster)");
        var sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { Port = options.SandboxPort, WorkloadReadyDelay = options.WorkloadReadyDelay }, ct);
        _cleanup.Add(() => sandbox.DisposeAsync());
        _kubeconfig = sandbox.WriteKubeconfig(Path.Combine(_work, "kubeconfig"));
        File.WriteAllText(_kubeconfig, File.ReadAllText(_kubeconfig).Replace("namespace: default", $"namespace: {options.Namespace}", StringComparison.Ordinal));
        _api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(_kubeconfig));
        view.Line($"API at {sandbox.BaseAddress}, kubeconfig {_kubeconfig}");

        foreach (var (name, text) in new[] { ("applications.gitops.dev", DemoAssets.Crd()), ("projects.gitops.dev", DemoAssets.ProjectCrd()), ("notifications.gitops.dev", DemoAssets.NotificationCrd()) })
        {
            var path = $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}";
            await ApplyAsync(path, ManifestReader.Read(text, name).Single().ToJson(), ct);
            await WaitForAsync(async () => (await _api.GetAsync(path, ct))?["status"]?["conditions"] is JsonArray c
                && c.Any(x => (string?)x?["type"] == "Established" && (string?)x?["status"] == "True"), TimeSpan.FromSeconds(30), $"the CRD {name} to be established", ct);
        }
        await ApplyAsync($"/api/v1/namespaces/{options.Namespace}",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = options.Namespace } }, ct);
        view.Line($"installed the Application, Project and Notification CRDs (applications.gitops.dev, projects.gitops.dev, notifications.gitops.dev) and namespace {options.Namespace}");
    }

    private async Task StartGitAsync(CancellationToken ct)
    {
        view.Step("Starting a loopback Git server with a copy of examples/");
        var git = await LoopbackGitServer.StartAsync(Path.Combine(_work, "git"), ct);
        _cleanup.Add(() => git.DisposeAsync());
        _repoUrl = await git.CreateRepoAsync("config", ct);
        _tree = Path.Combine(_work, "config");
        Directory.CreateDirectory(_tree);
        DemoAssets.WriteExamples(_tree);
        await GitAsync(ct, "init", "-q", "--initial-branch=main");
        await GitAsync(ct, "add", "-A");
        await GitAsync(ct, "commit", "-q", "-m", "Import the examples");
        await GitAsync(ct, "remote", "add", "origin", _repoUrl);
        // -u: the work tree tracks the server's main, so a plain `git push` from the hints works.
        await GitAsync(ct, "push", "-q", "-u", "origin", "main");
        view.Line($"{_repoUrl} at {Revision.Short(await GitAsync(ct, "rev-parse", "HEAD"))}, work tree {_tree}");
    }

    /// <summary>Starts the operator in this process; returns whether it renders Kustomize.</summary>
    private async Task<bool> StartOperatorAsync(CancellationToken ct)
    {
        view.Step("Starting the operator");
        var logPath = Path.Combine(_work, "operator.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var logger = new LoggerConfiguration().MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("System", Serilog.Events.LogEventLevel.Warning)
            .WriteTo.Sink(new TextWriterSink(new MessageTemplateTextFormatter("{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}"), TextWriter.Synchronized(log)))
            .CreateLogger();
        await _api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "gitops-webhook" },
            ["stringData"] = new JsonObject { ["secret"] = _webhookSecret },
        }.ToJsonString(), "application/json", ct);
        var app = OperatorHost.Build(OperatorOptions.Default with
        {
            Kubeconfig = _kubeconfig,
            Listen = "127.0.0.1:0",
            LeaderElection = false,
            Webhooks = Webhooks.WebhookOptions.Default with { SecretRef = "default/gitops-webhook" },
            CacheDirectory = Path.Combine(_work, "cache"),
            JsonLogs = false,
        }, services => services.AddSerilog(logger, dispose: true));
        await app.StartAsync(ct);
        _cleanup.Add(async () =>
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
            await app.DisposeAsync();
            await log.DisposeAsync();
        });
        _operatorUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var renderers = app.Services.GetRequiredService<RendererSelector>();
        var probe = new RenderRequest(_tree, "guestbook/overlays/dev", new SourceSpecModel { Path = "guestbook/overlays/dev" }, "guestbook-dev", RenderLimits.Default);
        var kustomize = renderers.For(probe) is not DirectoryRenderer;
        view.Line($"operator at {_operatorUrl} (metrics, health, webhook), log {logPath}");
        if (!kustomize) view.Line("this build has no Kustomize renderer yet: the guestbook base is synced as a plain directory instead of the dev and prod overlays");
        return kustomize;
    }

    private async Task CreateApplicationsAsync(bool kustomize, CancellationToken ct)
    {
        string[] files = kustomize ? ["hello", "guestbook-dev", "guestbook-prod"] : ["hello", "guestbook-base"];
        var examples = DemoAssets.Examples();
        _apps = [];
        foreach (var file in files)
        {
            var text = examples[$"applications/{file}.yaml"].Replace("REPO_URL", _repoUrl, StringComparison.Ordinal);
            var app = ManifestReader.Read(text, file).Single().ToJson();
            app["metadata"]!["namespace"] = options.Namespace;
            var name = (string)app["metadata"]!["name"]!;
            await ApplyAsync(ApplicationPaths.Object(options.Namespace, name), app, ct);
            _apps.Add((name, (string?)app["spec"]?["source"]?["path"] ?? "."));
        }
        view.Step($"Created {_apps.Count} Applications in namespace {options.Namespace}: {string.Join(", ", _apps.Select(a => a.Name))}");
    }

    private async Task<bool> WaitAllSyncedAsync(string revision, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var timings = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        await view.TrackAsync("Syncing: each app goes OutOfSync -> Syncing -> Synced/Healthy", async report =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.StageTimeout);
            IReadOnlyList<AppRow> rows = [];
            try
            {
                while (true)
                {
                    rows = await RowsAsync(deadline.Token);
                    foreach (var r in rows.Where(r => r.Phase == "Synced" && !timings.ContainsKey(r.Name))) timings[r.Name] = Stopwatch.GetElapsedTime(started);
                    report(rows);
                    if (rows.Count == _apps.Count && rows.All(r => r.Phase == "Synced" && r.Revision == Revision.Short(revision))) return;
                    await Task.Delay(options.PollInterval, deadline.Token);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new DemoException($"the apps did not sync within {options.StageTimeout.TotalSeconds:0}s: " +
                    string.Join("; ", rows.Where(r => r.Phase != "Synced").Select(r => $"{r.Name} {r.Sync}/{r.Health} {r.Message}")) + $" (operator log: {Path.Combine(_work, "operator.log")})");
            }
        });
        foreach (var (name, t) in timings.OrderBy(t => t.Value)) view.Line($"{name} synced and healthy {t.TotalSeconds:0.0}s after it was created");
        return true;
    }

    private async Task<IReadOnlyList<AppRow>> RowsAsync(CancellationToken ct)
    {
        var list = ((await _api.GetAsync(ApplicationPaths.Collection(options.Namespace), ct))?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return [.. _apps.Select(a => list.FirstOrDefault(x => (string?)x["metadata"]?["name"] == a.Name) is { } app ? Row(app, a.Name, a.Path) : new AppRow(a.Name, a.Path, "OutOfSync", "Unknown", "Unknown", "", ""))];
    }

    private static AppRow Row(JsonObject app, string name, string path)
    {
        var status = ApplicationStatus.Of(app);
        var sync = status.Sync?.Status ?? "Unknown";
        var health = status.Health?.Status ?? "Unknown";
        var phase = sync != "Synced" ? "OutOfSync" : health == "Healthy" ? "Synced" : "Syncing";
        return new AppRow(name, path, phase, sync, health, status.ShortRevision, status.StageFailure ?? "");
    }

    private async Task<TimeSpan> HealAsync(CancellationToken ct)
    {
        view.Step($"Drift: someone edits ConfigMap {HelloNamespace}/{HelloConfigMap} by hand");
        var path = $"/api/v1/namespaces/{HelloNamespace}/configmaps/{HelloConfigMap}";
        var original = (string?)(await _api.GetAsync(path, ct))?["data"]?["greeting"] ?? throw new DemoException($"ConfigMap {HelloNamespace}/{HelloConfigMap} was not created");
        var patch = new JsonObject { ["data"] = new JsonObject { ["greeting"] = "edited by hand" } };
        await _api.SendAsync(HttpMethod.Patch, path + "?fieldManager=kubectl-edit", patch.ToJsonString(), "application/merge-patch+json", ct);
        var edited = Stopwatch.GetTimestamp();
        view.Line($"kubectl patch configmap {HelloConfigMap} -n {HelloNamespace} -p '{{\"data\":{{\"greeting\":\"edited by hand\"}}}}'");
        await WaitForAsync(async () => (string?)(await _api.GetAsync(path, ct))?["data"]?["greeting"] == original, options.StageTimeout, "the operator to heal the edit", ct);
        var latency = Stopwatch.GetElapsedTime(edited);
        view.Line($"healed: greeting is \"{original}\" again, {latency.TotalMilliseconds:0} ms after the edit (a watch, not a poll)");
        return latency;
    }

    private async Task<(TimeSpan Latency, string Trigger)> RolloutAsync(CancellationToken ct)
    {
        view.Step("Rollout: a commit to the repository");
        var configMap = Path.Combine(_tree, "hello", "configmap.yaml");
        File.WriteAllText(configMap, File.ReadAllText(configMap).Replace("(revision 1)", "(revision 2)", StringComparison.Ordinal));
        var deployment = Path.Combine(_tree, "hello", "deployment.yaml");
        File.WriteAllText(deployment, File.ReadAllText(deployment).Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal));
        await GitAsync(ct, "commit", "-q", "-am", "hello: greeting revision 2, 3 replicas");
        await GitAsync(ct, "push", "-q", "origin", "main");
        var sha = await GitAsync(ct, "rev-parse", "HEAD");
        var pushed = Stopwatch.GetTimestamp();
        view.Line($"git commit -am \"hello: greeting revision 2, 3 replicas\" && git push  -> {Revision.Short(sha)}");

        if (!await PostWebhookAsync(sha, ct))
            throw new InvalidOperationException($"the operator refused the push webhook at {new Uri(_operatorUrl, "/api/webhook")}; see the operator log");
        const string trigger = "webhook";
        view.Line($"POST {new Uri(_operatorUrl, "/api/webhook")} (a signed GitHub push event) accepted");

        var hello = _apps[0].Name;
        bool RolledOut(JsonObject? app) => app is not null && ApplicationStatus.Of(app) is { Sync.Status: SyncSummary.Synced, Health.Status: "Healthy" } status && status.Sync.Revision == sha;
        await WaitForAsync(async () => RolledOut(await _api.GetAsync(ApplicationPaths.Object(options.Namespace, hello), ct)),
            options.StageTimeout, $"{hello} to roll out {Revision.Short(sha)}", ct);
        var latency = Stopwatch.GetElapsedTime(pushed);
        var greeting = (string?)(await _api.GetAsync($"/api/v1/namespaces/{HelloNamespace}/configmaps/{HelloConfigMap}", ct))?["data"]?["greeting"];
        var replicas = (await _api.GetAsync($"/apis/apps/v1/namespaces/{HelloNamespace}/deployments/hello", ct))?["status"]?["readyReplicas"];
        view.Line($"rolled out {Revision.Short(sha)} in {latency.TotalSeconds:0.0}s after the push (via {trigger}): greeting \"{greeting}\", {replicas} ready replicas");
        return (latency, trigger);
    }

    /// <summary>Posts a GitHub-style push event to the operator's webhook; false when this build has no receiver or it refused.</summary>
    private async Task<bool> PostWebhookAsync(string sha, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var body = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["after"] = sha,
            ["repository"] = new JsonObject { ["clone_url"] = _repoUrl, ["html_url"] = _repoUrl[..^4], ["url"] = _repoUrl },
        }.ToJsonString();
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(_webhookSecret), System.Text.Encoding.UTF8.GetBytes(body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_operatorUrl, "/api/webhook"))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + signature);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }


    /// <summary>The commands to try next, for the kubeconfig the demo wrote.</summary>
    public void PrintNextSteps(bool waitsForCtrlC)
    {
        var self = SelfCommand();
        output.WriteLine();
        output.WriteLine($"The loop is running. kubeconfig: {_kubeconfig}");
        output.WriteLine("Try, in another terminal:");
        output.WriteLine($"  export KUBECONFIG={_kubeconfig}");
        output.WriteLine("  kubectl get gapp -A");
        output.WriteLine($"  {self} status -A");
        output.WriteLine($"  {self} status hello");
        output.WriteLine($"  {self} diff hello");
        output.WriteLine($"  {self} diff --local {_tree} hello     # after editing {Path.Combine(_tree, "hello")}");
        output.WriteLine($"  cd {_tree} && git commit -am ... && git push && {self} refresh hello --wait");
        if (waitsForCtrlC) output.WriteLine("Ctrl-C stops the operator, the Git server and the sandbox, and deletes what the demo created.");
    }

    private static string SelfCommand()
    {
        var process = Environment.ProcessPath ?? "gitops";
        // Under `dotnet gitops.dll` the command to show is that; a native or apphost build is its own executable.
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"dotnet {Path.Combine(AppContext.BaseDirectory, "gitops.dll")}" : process;
    }

    private async Task ApplyAsync(string path, JsonObject body, CancellationToken ct) =>
        await _api.SendAsync(HttpMethod.Patch, $"{path}?fieldManager={FieldManager}&force=true", body.ToJsonString(), "application/apply-patch+yaml", ct);

    private async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (!await condition()) await Task.Delay(options.PollInterval, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DemoException($"gave up after {timeout.TotalSeconds:0}s waiting for {what} (operator log: {Path.Combine(_work, "operator.log")})");
        }
    }

    private Task<string> GitAsync(CancellationToken ct, params string[] args) => LoopbackGitServer.RunGitAsync(args, _tree, ct);

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
            catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException) { }
        }
        _cleanup.Clear();
    }
}
