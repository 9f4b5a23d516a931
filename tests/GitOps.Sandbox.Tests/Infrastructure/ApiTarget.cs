using System.Collections.Concurrent;
using GitOps.Sandbox;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Infrastructure;

/// <summary>
/// The API server a conformance test talks to: a fresh in-process sandbox, or, when
/// GITOPS_TEST_KUBECONFIG names a kubeconfig, that real cluster. Tests work in their own
/// namespace (<see cref="NewNamespaceAsync"/>), deleted at the end.
/// </summary>
public sealed class ApiTarget : IAsyncLifetime
{
    private readonly List<string> _namespaces = [];
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _clusterConfigMaps = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _publishedEverywhere = ClusterConfigMaps.None;
    private string? _tempDir;

    public SandboxServer? Sandbox { get; private set; }
    public string KubeconfigPath { get; private set; } = "";
    public Kubernetes Client { get; private set; } = null!;

    /// <summary>True when the tests run against a real cluster rather than the sandbox.</summary>
    public bool IsRealCluster => Sandbox is null;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("GITOPS_TEST_KUBECONFIG");
        if (!string.IsNullOrEmpty(external))
        {
            KubeconfigPath = external;
        }
        else
        {
            Sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { WorkloadReadyDelay = TimeSpan.FromMilliseconds(100) });
            _tempDir = Directory.CreateTempSubdirectory("gitops-sandbox-").FullName;
            KubeconfigPath = Sandbox.WriteKubeconfig(Path.Combine(_tempDir, "kubeconfig"));
        }
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        if (IsRealCluster) _publishedEverywhere = await ClusterConfigMaps.PublishedEverywhereAsync(Client);
    }

    /// <summary>
    /// A client of its own (its own connection pool) for the caller to dispose. Watches use one:
    /// KubernetesClient cancels a watch by abandoning the pending read of the response stream, and
    /// if the server ends that stream within SocketsHttpHandler's 2 s response drain, the connection
    /// goes back to the pool with the orphaned read still on it, which then swallows the next
    /// response sent on it (a request that hangs until the client's 100 s timeout). Disposing the
    /// watch's own client closes its connection instead.
    /// </summary>
    public Kubernetes NewClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    /// <summary>
    /// A new namespace with a unique name, deleted when the fixture is disposed. On a real cluster it is
    /// returned once the cluster's controllers have published their ConfigMaps into it (<see cref="ClusterConfigMapsIn"/>).
    /// </summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        lock (_namespaces) _namespaces.Add(name);
        _clusterConfigMaps[name] = await ListPublishedConfigMapsAsync(name);
        return name;
    }

    /// <summary>
    /// The ConfigMaps in namespace <paramref name="ns"/>, just made, once the cluster's controllers have
    /// published theirs into it (<see cref="ClusterConfigMaps"/>); none on the sandbox.
    /// </summary>
    public async Task<IReadOnlySet<string>> ListPublishedConfigMapsAsync(string ns) =>
        IsRealCluster ? await ClusterConfigMaps.ListOncePublishedAsync(Client, ns, _publishedEverywhere) : ClusterConfigMaps.None;

    /// <summary>The ConfigMaps the cluster's controllers put into <paramref name="ns"/> before the test wrote (none on the sandbox).</summary>
    public IReadOnlySet<string> ClusterConfigMapsIn(string ns) => _clusterConfigMaps.GetValueOrDefault(ns, ClusterConfigMaps.None);

    public async Task DisposeAsync()
    {
        foreach (var ns in _namespaces)
        {
            try { await Client.CoreV1.DeleteNamespaceAsync(ns); }
            catch (k8s.Autorest.HttpOperationException) { }
        }
        Client.Dispose();
        if (Sandbox is not null) await Sandbox.DisposeAsync();
        if (_tempDir is not null) Directory.Delete(_tempDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiTarget>
{
    public const string Name = "api";
}

/// <summary>
/// The replay suite's own target (a sandbox of its own): what the other suites leave in a shared
/// sandbox (CRD groups in discovery, controllers still settling their workloads) must not show up
/// in answers compared with the recording's fresh kube-apiserver.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReplayCollection : ICollectionFixture<ApiTarget>
{
    public const string Name = "replay";
}
