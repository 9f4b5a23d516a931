using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Conformance;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// The API server the authorisation tests talk to: a sandbox of its own in Rbac mode, or, when
/// GITOPS_TEST_KUBECONFIG names a kubeconfig, that real cluster (whose user must be an admin).
/// Tests act as other users through <see cref="ClientAs"/> and <see cref="KubectlAsAsync"/>: on
/// the sandbox with a token it issued, on a real cluster by impersonation (the same user and
/// groups: a service account gets its groups, everyone system:authenticated). Namespaces and
/// cluster-scoped objects the tests make are deleted at the end.
/// </summary>
public sealed class RbacTarget : IAsyncLifetime
{
    private readonly List<string> _namespaces = [];
    private readonly ConcurrentBag<(string Kind, string Name)> _clusterObjects = [];
    private readonly ConcurrentDictionary<string, string> _kubeconfigs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _clusterConfigMaps = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _publishedEverywhere = ClusterConfigMaps.None;
    private string _tempDir = "";

    public SandboxServer? Sandbox { get; private set; }
    public string KubeconfigPath { get; private set; } = "";
    public Kubernetes Admin { get; private set; } = null!;

    public bool IsRealCluster => Sandbox is null;

    public async Task InitializeAsync()
    {
        _tempDir = Directory.CreateTempSubdirectory("gitops-rbac-").FullName;
        var external = Environment.GetEnvironmentVariable("GITOPS_TEST_KUBECONFIG");
        if (!string.IsNullOrEmpty(external)) KubeconfigPath = external;
        else
        {
            Sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { Authorization = AuthorizationMode.Rbac, WorkloadReadyDelay = TimeSpan.FromMilliseconds(100) });
            KubeconfigPath = Sandbox.WriteKubeconfig(Path.Combine(_tempDir, "admin.kubeconfig"));
        }
        Admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        if (IsRealCluster) _publishedEverywhere = await ClusterConfigMaps.PublishedEverywhereAsync(Admin);
    }

    /// <summary>A unique user name for one test.</summary>
    public static string NewUser(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A client authenticated as <paramref name="user"/> in <paramref name="groups"/> (the caller disposes it).</summary>
    public Kubernetes ClientAs(string user, params string[] groups) => Sandbox is not null
        ? new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigFor(user, groups)))
        : new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath), new ImpersonatingHandler(user, groups));

    /// <summary>Runs kubectl as <paramref name="user"/>: on the sandbox with that user's own kubeconfig.</summary>
    internal Task<ProcessResult> KubectlAsAsync(string user, string[] groups, params string[] args)
    {
        string[] identity = Sandbox is not null
            ? ["--kubeconfig", KubeconfigFor(user, groups)]
            : ["--kubeconfig", KubeconfigPath, "--as", user, .. groups.SelectMany(g => new[] { "--as-group", g })];
        return ProcessRunner.RunAsync(ToolPaths.Kubectl, [.. identity, .. args]);
    }

    /// <summary>Runs kubectl as the admin.</summary>
    internal Task<ProcessResult> KubectlAsync(params string[] args) => ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", KubeconfigPath, .. args]);

    /// <summary>The sandbox's kubeconfig for a user (one per user and groups).</summary>
    public string KubeconfigFor(string user, IReadOnlyList<string> groups) =>
        _kubeconfigs.GetOrAdd(user + "|" + string.Join(',', groups), _ =>
            Sandbox!.WriteKubeconfig(Path.Combine(_tempDir, $"{Guid.NewGuid():N}.kubeconfig"), user, groups));

    /// <summary>A new namespace, returned on a real cluster once its controllers have published their ConfigMaps into it (<see cref="ClusterConfigMapsIn"/>).</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "rbac")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        lock (_namespaces) _namespaces.Add(name);
        if (IsRealCluster) _clusterConfigMaps[name] = await ClusterConfigMaps.ListOncePublishedAsync(Admin, name, _publishedEverywhere);
        return name;
    }

    /// <summary>The ConfigMaps the cluster's controllers put into <paramref name="ns"/> before the test wrote (none on the sandbox).</summary>
    public IReadOnlySet<string> ClusterConfigMapsIn(string ns) => _clusterConfigMaps.GetValueOrDefault(ns, ClusterConfigMaps.None);

    /// <summary>Creates a cluster-scoped RBAC object as the admin (deleted at the end): JSON of a ClusterRole or ClusterRoleBinding.</summary>
    public async Task CreateClusterObjectAsync(JsonObject obj)
    {
        var kind = (string)obj["kind"]!;
        var plural = kind == "ClusterRole" ? "clusterroles" : "clusterrolebindings";
        var (code, body, _) = await Conform.RawAsync(Admin, HttpMethod.Post, $"apis/rbac.authorization.k8s.io/v1/{plural}", obj.ToJsonString());
        Assert.True(code == HttpStatusCode.Created, body);
        _clusterObjects.Add((plural, (string)obj["metadata"]!["name"]!));
    }

    /// <summary>Forgets a cluster-scoped object a test deleted itself.</summary>
    public void Track(string plural, string name) => _clusterObjects.Add((plural, name));

    public async Task DisposeAsync()
    {
        foreach (var (plural, name) in _clusterObjects)
            await Conform.RawAsync(Admin, HttpMethod.Delete, $"apis/rbac.authorization.k8s.io/v1/{plural}/{name}");
        foreach (var ns in _namespaces)
        {
            try { await Admin.CoreV1.DeleteNamespaceAsync(ns); }
            catch (k8s.Autorest.HttpOperationException) { }
        }
        Admin.Dispose();
        if (Sandbox is not null) await Sandbox.DisposeAsync();
        Directory.Delete(_tempDir, recursive: true);
    }

    /// <summary>Adds impersonation headers (a real cluster's stand-in for another user's credentials).</summary>
    private sealed class ImpersonatingHandler(string user, string[] groups) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Impersonate-User", user);
            foreach (var g in groups) request.Headers.TryAddWithoutValidation("Impersonate-Group", g);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RbacCollection : ICollectionFixture<RbacTarget>
{
    public const string Name = "rbac";
}
