using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Controllers;
using GitOps.Sandbox.Diagnostics;
using GitOps.Sandbox.Store;
using GitOps.Sandbox.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Sandbox;

/// <summary>
/// An embedded Kubernetes API sandbox — not a cluster. Serves the Kubernetes REST API over HTTP
/// on loopback from memory, with simulated controllers, so that the real clients (KubernetesClient,
/// kubectl, helm) work against it unchanged. Start several at once; each has its own state.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    public const string Banner = "embedded Kubernetes API sandbox — not a cluster";

    private readonly WebApplication _app;
    private readonly ControllerHost _controllers;

    private SandboxServer(WebApplication app, ObjectStore store, ResourceRegistry registry, RequestCounters counters, FaultInjector faults, ControllerHost controllers, Uri address)
    {
        _app = app;
        Store = store;
        Registry = registry;
        Requests = counters;
        Faults = faults;
        _controllers = controllers;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }
    public ObjectStore Store { get; }
    public ResourceRegistry Registry { get; }
    public RequestCounters Requests { get; }
    public FaultInjector Faults { get; }

    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken ct = default)
    {
        options ??= SandboxOptions.Default;
        var clock = SystemClock.Instance;
        var store = new ObjectStore(options.HistoryLimit);
        var registry = new ResourceRegistry();
        var custom = new CustomResources(registry);
        var schemas = new CompositeSchemas(Schema.BuiltinSchemas.Shared, custom);
        var admission = new SandboxAdmission(schemas, new Admission.SequentialAllocator());
        var fields = new SandboxFieldManagement(schemas);
        var validator = new Decoding.FieldValidator(schemas);
        var writer = new ObjectWriter(store, admission, fields, clock, validator);
        var deleter = new ObjectDeleter(store, clock);
        var counters = new RequestCounters();
        var faults = new FaultInjector();
        var api = new SandboxApi(
            registry, store, writer, validator, deleter, new Discovery(registry), new OpenApiDocuments(registry, custom),
            new TableConverter(custom.Columns, clock),
            new WatchStreamer(store, options.BookmarkInterval), counters, faults, options);

        SeedNamespaces(writer, registry, options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(System.Net.IPAddress.Parse(options.ListenAddress), options.Port);
        });
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var controllers = new ControllerHost(store, registry, custom, writer, deleter, clock, options);
        controllers.Start();
        return new SandboxServer(app, store, registry, counters, faults, controllers, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Writes a kubeconfig (context "sandbox") that points kubectl and clients at this server.</summary>
    public string WriteKubeconfig(string path)
    {
        var text = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {{BaseAddress.ToString().TrimEnd('/')}}
            users:
            - name: sandbox
              user:
                token: sandbox
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: sandbox
                namespace: default
            current-context: sandbox
            preferences: {}

            """;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Closes every open watch, as an apiserver restart would.</summary>
    public void CloseWatches() => Store.CloseAllSubscriptions();

    /// <summary>
    /// Waits until the simulated controllers have handled every change and have no delayed action
    /// pending (a workload's ready status, say), so that the next write's resourceVersion follows
    /// the last one with nothing of theirs in between. Returns false if they are still busy at the timeout.
    /// </summary>
    public async Task<bool> WaitForControllersIdleAsync(TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!_controllers.IsIdle)
        {
            if (DateTime.UtcNow >= until) return false;
            await Task.Delay(10, ct);
        }
        return true;
    }

    /// <summary>Compacts history: watches from any earlier resourceVersion get 410 Gone.</summary>
    public void CompactHistory() => Store.Compact();

    public async ValueTask DisposeAsync()
    {
        await _controllers.DisposeAsync();
        Store.CloseAllSubscriptions();
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2))) await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
    }

    private static void SeedNamespaces(ObjectWriter writer, ResourceRegistry registry, SandboxOptions options)
    {
        var namespaces = registry.Find("", "v1", "namespaces")!;
        foreach (var ns in options.InitialNamespaces)
            writer.Create(namespaces, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = ns },
            }, new WriteOptions(WriteOperation.Create, "kube-apiserver", null, false));
    }
}
