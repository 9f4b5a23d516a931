using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Auth;
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

    /// <summary>The user of the default kubeconfig: an admin, as kubeadm's admin.conf user is.</summary>
    public const string AdminUser = "sandbox-admin";

    /// <summary>The groups of <see cref="AdminUser"/>: system:masters may do anything.</summary>
    public static readonly IReadOnlyList<string> AdminGroups = [UserInfo.SystemMasters, UserInfo.AllAuthenticated];

    private readonly ControllerHost _controllers;
    private readonly AccessControl _access;
    private readonly SemaphoreSlim _listenerGate = new(1, 1);
    private readonly Func<int, CancellationToken, Task<WebApplication>> _listen;
    private WebApplication? _app;

    private SandboxServer(WebApplication app, Func<int, CancellationToken, Task<WebApplication>> listen, ObjectStore store, ResourceRegistry registry, RequestCounters counters, FaultInjector faults, ControllerHost controllers, AccessControl access, Uri address)
    {
        _app = app;
        _listen = listen;
        Store = store;
        Registry = registry;
        Requests = counters;
        Faults = faults;
        _controllers = controllers;
        _access = access;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }
    public ObjectStore Store { get; }
    public ResourceRegistry Registry { get; }
    public RequestCounters Requests { get; }
    public FaultInjector Faults { get; }

    /// <summary>How requests are authorised (<see cref="SandboxOptions.Authorization"/>).</summary>
    public AuthorizationMode Authorization => _access.Mode;

    /// <summary>
    /// The self-signed certificate (no private key) the sandbox serves HTTPS with in Rbac mode, to
    /// trust as the CA; null in AlwaysAllow mode, which serves plain HTTP.
    /// </summary>
    public X509Certificate2? CertificateAuthority { get; private init; }

    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken ct = default)
    {
        options ??= SandboxOptions.Default;
        var clock = options.Clock;
        var store = new ObjectStore(options.HistoryLimit);
        var registry = new ResourceRegistry();
        var custom = new CustomResources(registry);
        var schemas = new CompositeSchemas(Schema.BuiltinSchemas.Shared, custom);
        var admission = new SandboxAdmission(schemas, new Admission.SequentialAllocator());
        var fields = new SandboxFieldManagement(schemas);
        var validator = new Decoding.FieldValidator(schemas);
        var tokens = new TokenAuthenticator();
        var authorizer = new Authorizer(options.Authorization, new RbacRuleResolver(store, RbacRuleResolver.NotFoundWording.Lister));
        var access = new AccessControl(options.Authorization, tokens, authorizer, UserInfo.Authenticated(AdminUser, AdminGroups));
        var writer = new ObjectWriter(store, admission, fields, clock, validator)
        {
            Policy = new RbacStoragePolicy(authorizer, new RbacRuleResolver(store, RbacRuleResolver.NotFoundWording.Storage)),
        };
        var deleter = new ObjectDeleter(store, clock);
        var counters = new RequestCounters();
        var faults = new FaultInjector();
        var api = new SandboxApi(
            registry, store, writer, validator, deleter, new Discovery(registry), new OpenApiDocuments(registry, custom),
            new TableConverter(custom.Columns, clock),
            new WatchStreamer(store, options.BookmarkInterval), counters, faults, options, access);

        SeedNamespaces(writer, registry, options);
        if (options.Authorization == AuthorizationMode.Rbac) BootstrapPolicy.Seed(writer, registry);

        // client-go sends bearer tokens over TLS only: Rbac mode, which needs them, serves HTTPS.
        // The certificate outlives a restart (a real apiserver reads it from disk again).
        var certificate = options.Authorization == AuthorizationMode.Rbac ? ServingCertificate.Create(options.ListenAddress) : null;
        Task<WebApplication> Listen(int port, CancellationToken token) => ListenAsync(api, options.ListenAddress, port, certificate, token);
        var app = await Listen(options.Port, ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var controllers = new ControllerHost(store, registry, custom, writer, deleter, clock, options);
        controllers.Start();
        var server = new SandboxServer(app, Listen, store, registry, counters, faults, controllers, access, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)))
        {
            CertificateAuthority = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData),
        };
        // The aggregated roles (admin, edit, view) have their rules before the first request, as on a settled cluster.
        if (options.Authorization == AuthorizationMode.Rbac) await server.WaitForControllersIdleAsync(ct: ct);
        return server;
    }

    /// <summary>
    /// A bearer token that authenticates as <paramref name="user"/>: a service account
    /// (system:serviceaccount:NS:NAME) is also in system:serviceaccounts and
    /// system:serviceaccounts:NS, and every user in system:authenticated, as a real cluster's
    /// authenticators make them.
    /// </summary>
    public string IssueToken(string user, IReadOnlyList<string> groups, string? uid = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return _access.Tokens.Issue(UserInfo.Authenticated(user, groups, uid));
    }

    /// <summary>Writes a kubeconfig (context "sandbox") for the admin <see cref="AdminUser"/> (in system:masters) that points kubectl and clients at this server.</summary>
    public string WriteKubeconfig(string path) => WriteKubeconfig(path, "sandbox", _access.AdminToken);

    /// <summary>Writes a kubeconfig (context "sandbox") whose token authenticates as <paramref name="user"/> in <paramref name="groups"/> (see <see cref="IssueToken"/>).</summary>
    public string WriteKubeconfig(string path, string user, IReadOnlyList<string> groups) =>
        WriteKubeconfig(path, user, IssueToken(user, groups));

    private string WriteKubeconfig(string path, string user, string token)
    {
        var name = Quote(user);
        var authority = CertificateAuthority is null ? ""
            : "\n    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(ServingCertificate.Pem(CertificateAuthority)));
        var text = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {{BaseAddress.ToString().TrimEnd('/')}}{{authority}}
            users:
            - name: {{name}}
              user:
                token: {{token}}
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: {{name}}
                namespace: default
            current-context: sandbox
            preferences: {}

            """;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
        return path;

        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
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

    /// <summary>Whether the listener is up (false between <see cref="StopServingAsync"/> and <see cref="StartServingAsync"/>).</summary>
    public bool IsServing => Volatile.Read(ref _app) is not null;

    /// <summary>
    /// The first half of a kube-apiserver restart: open watches end and the port stops answering
    /// (connections are refused). The store stays, as etcd does; so do the simulated controllers,
    /// which stand for kube-controller-manager (another process) and write to the store directly.
    /// </summary>
    public async Task StopServingAsync(CancellationToken ct = default)
    {
        await _listenerGate.WaitAsync(ct);
        try
        {
            if (_app is not { } app) return;
            Volatile.Write(ref _app, null);
            Store.CloseAllSubscriptions();
            await StopAsync(app);
        }
        finally
        {
            _listenerGate.Release();
        }
    }

    /// <summary>
    /// The second half of a restart: serves again on the same address and port from the same store,
    /// so resourceVersions keep rising. Like a fresh apiserver's watch cache, which starts from a list
    /// at the current revision, history before now is gone: a watch resumed from an older
    /// resourceVersion gets 410 Gone (the client relists), one from the current revision resumes.
    /// </summary>
    public async Task StartServingAsync(CancellationToken ct = default)
    {
        await _listenerGate.WaitAsync(ct);
        try
        {
            if (_app is not null) return;
            Store.Compact();
            Volatile.Write(ref _app, await _listen(BaseAddress.Port, ct));
        }
        finally
        {
            _listenerGate.Release();
        }
    }

    /// <summary>Stops serving, stays down for <paramref name="down"/> and serves again (see <see cref="StopServingAsync"/>, <see cref="StartServingAsync"/>).</summary>
    public async Task RestartAsync(TimeSpan down, CancellationToken ct = default)
    {
        await StopServingAsync(ct);
        await Task.Delay(down, ct);
        await StartServingAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _controllers.DisposeAsync();
        Store.CloseAllSubscriptions();
        if (Interlocked.Exchange(ref _app, null) is { } app) await StopAsync(app);
        _listenerGate.Dispose();
        CertificateAuthority?.Dispose();
    }

    private static async Task<WebApplication> ListenAsync(SandboxApi api, string listenAddress, int port, X509Certificate2? certificate, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(System.Net.IPAddress.Parse(listenAddress), port, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync(ct);
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2))) await app.StopAsync(stopTimeout.Token);
        await app.DisposeAsync();
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
