using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Sandbox;
using GitOps.Testing;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// A whole loop for integration tests: an API (in-process sandbox, or the real cluster named by
/// GITOPS_TEST_KUBECONFIG) with the Application CRD installed, a real Git server over smart HTTP
/// on loopback, and the operator running in-process against both.
/// </summary>
public sealed class OperatorFixture : IAsyncLifetime
{
    /// <summary>Whether InitializeAsync starts an operator (tests of several operators set it false first).</summary>
    public bool StartOperator { get; init; } = true;

    private readonly string _temp = Directory.CreateTempSubdirectory("gitops-it-").FullName;
    private readonly List<string> _namespaces = [];

    public SandboxServer? Sandbox { get; private set; }
    public string KubeconfigPath { get; private set; } = "";
    public KubeApi Api { get; private set; } = null!;
    internal GitHttpServer Git { get; private set; } = null!;
    public WebApplication? Operator { get; private set; }

    /// <summary>Every operator this fixture started (stopped ones too: their services stay readable).</summary>
    private readonly List<WebApplication> _started = [];
    public Uri OperatorAddress { get; private set; } = null!;

    /// <summary>Every log line the fixture's operator wrote.</summary>
    public StringWriter Logs { get; } = new();

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("GITOPS_TEST_KUBECONFIG");
        if (!string.IsNullOrEmpty(external)) KubeconfigPath = external;
        else
        {
            Sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { WorkloadReadyDelay = TimeSpan.FromMilliseconds(100) });
            KubeconfigPath = Sandbox.WriteKubeconfig(Path.Combine(_temp, "kubeconfig"));
        }
        Api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        await KubectlOkAsync("apply", "-f", Path.Combine(ToolPaths.RepoRoot, "crds", "application.yaml"), "-f", Path.Combine(ToolPaths.RepoRoot, "crds", "project.yaml"));
        await KubectlOkAsync("wait", "--for=condition=Established", "crd/applications.gitops.dev", "crd/projects.gitops.dev", "--timeout=30s");
        Git = await GitHttpServer.StartAsync();
        if (!StartOperator) return;
        (Operator, OperatorAddress) = await StartOperatorAsync(OperatorOptions.Default with { LeaderElection = false, LogCopy = TextWriter.Synchronized(Logs) });
    }

    /// <summary>Starts an operator process (in-process host) against the fixture's API, with its source cache in <paramref name="cacheDirectory"/> (default: a new temp folder).</summary>
    public async Task<(WebApplication App, Uri Address)> StartOperatorAsync(OperatorOptions options, Action<IServiceCollection>? configure = null, string? cacheDirectory = null)
    {
        var app = OperatorHost.Build(options with
        {
            Kubeconfig = KubeconfigPath,
            Listen = "127.0.0.1:0",
            CacheDirectory = cacheDirectory ?? Path.Combine(_temp, "cache-" + Guid.NewGuid().ToString("N")[..6]),
            JsonLogs = false,
        }, configure);
        await app.StartAsync();
        lock (_started) _started.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    public async Task<string> NewNamespaceAsync(string prefix = "it")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];
        await Api.SendAsync(HttpMethod.Post, "/api/v1/namespaces",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }.ToJsonString(),
            "application/json", CancellationToken.None);
        lock (_namespaces) _namespaces.Add(name);
        return name;
    }

    /// <summary>A new bare repository on the Git server and a work tree cloned from it.</summary>
    internal async Task<(string Url, GitWorkTree Tree)> NewRepoAsync(string name)
    {
        await Git.CreateBareRepoAsync(name);
        var url = Git.RepoUrl(name);
        var tree = await GitWorkTree.CloneAsync(url, Git.ClientConfig);
        return (url, tree);
    }

    internal Task<ProcessResult> KubectlAsync(params string[] args) =>
        ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", KubeconfigPath, .. args]);

    public async Task<string> KubectlOkAsync(params string[] args)
    {
        var result = await KubectlAsync(args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed: {result}");
        return result.StdOut;
    }

    public Task<string> ApplyYamlAsync(string yaml) =>
        ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", KubeconfigPath, "apply", "-f", "-"], yaml)
            .ContinueWith(t => t.Result.ExitCode == 0 ? t.Result.StdOut : throw new InvalidOperationException($"kubectl apply failed: {t.Result}"));

    public Task<JsonObject?> GetAsync(string path) => Api.GetAsync(path, CancellationToken.None);

    /// <summary>Waits until the operator has sent every Event it recorded (it sends them in the background), then reads them.</summary>
    public async Task<JsonObject?> EventsAsync(string ns)
    {
        List<GitOps.Operator.Controller.EventRecorder> recorders;
        lock (_started) recorders = _started.Select(a => a.Services.GetRequiredService<GitOps.Operator.Controller.EventRecorder>()).ToList();
        await Eventually.WaitAsync(() => Task.FromResult(recorders.All(r => r.Unsent == 0)), TimeSpan.FromSeconds(30), "the operators' events sent");
        return await GetAsync($"/api/v1/namespaces/{ns}/events");
    }

    public Task<JsonObject?> GetAppAsync(string ns, string name) =>
        GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{ns}/applications/{name}");

    /// <summary>Waits until the Application satisfies a condition; fails with its last status.</summary>
    public async Task<JsonObject> WaitAppAsync(string ns, string name, Func<JsonObject, bool> condition, string what, TimeSpan? deadline = null)
    {
        JsonObject? last = null;
        try
        {
            return await Eventually.WaitAsync(async () =>
            {
                last = await GetAppAsync(ns, name);
                return last is not null && condition(last) ? last : null;
            }, deadline ?? TimeSpan.FromSeconds(30), what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last status: {last?["status"]?.ToJsonString()}", e);
        }
    }

    public static bool IsSyncedAt(JsonObject app, string revision) =>
        (string?)app["status"]?["sync"]?["status"] == "Synced" && (string?)app["status"]?["sync"]?["revision"] == revision;

    public static bool HasCondition(JsonObject app, string type, string status = "True") =>
        (app["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["type"] == type && (string?)c?["status"] == status) == true;

    public static string? ConditionMessage(JsonObject app, string type) =>
        (string?)(app["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == type)?["message"];

    public async Task DisposeAsync()
    {
        if (Operator is not null)
        {
            await Operator.StopAsync();
            await Operator.DisposeAsync();
        }
        foreach (var ns in _namespaces)
        {
            try { await Api.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}", null, "application/json", CancellationToken.None); }
            catch (KubeApiException) { }
        }
        await Git.DisposeAsync();
        if (Sandbox is not null) await Sandbox.DisposeAsync();
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class OperatorCollection : ICollectionFixture<OperatorFixture>
{
    public const string Name = "operator";
}
