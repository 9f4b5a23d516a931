using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Sandbox;
using k8s;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// A second API server for Applications to deploy to (the operator runs against the fixture's own):
/// a sandbox that authorises by RBAC and serves HTTPS, as a real remote cluster does. Its kubeconfigs
/// embed the CA and a token, the form a registered cluster's Secret holds.
/// </summary>
public sealed class RemoteClusterFixture : IAsyncLifetime
{
    private readonly string _temp = Directory.CreateTempSubdirectory("gitops-remote-").FullName;

    public SandboxServer Sandbox { get; private set; } = null!;
    public KubeApi Api { get; private set; } = null!;

    /// <summary>The kubeconfig of the remote cluster's admin (system:masters), as text.</summary>
    public string AdminKubeconfig { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { Authorization = AuthorizationMode.Rbac, WorkloadReadyDelay = TimeSpan.FromMilliseconds(100) });
        var path = Sandbox.WriteKubeconfig(Path.Combine(_temp, "admin.kubeconfig"));
        AdminKubeconfig = await File.ReadAllTextAsync(path);
        Api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
    }

    /// <summary>A kubeconfig of the remote cluster for another user (RBAC grants it nothing unless a test binds it).</summary>
    public string KubeconfigFor(string user)
    {
        var path = Sandbox.WriteKubeconfig(Path.Combine(_temp, $"{Guid.NewGuid():N}.kubeconfig"), user, []);
        return File.ReadAllText(path);
    }

    public Task<JsonObject?> ConfigMapAsync(string ns, string name) => Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/{name}", CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }

    /// <summary>A Secret holding a kubeconfig under <c>value</c> (Flux's and Cluster API's key), with extra labels.</summary>
    public static string KubeconfigSecret(string ns, string name, string kubeconfig, string labels = "") => $$"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{name}}
          namespace: {{ns}}
        {{labels}}
        type: Opaque
        data:
          value: {{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(kubeconfig))}}
        """;
}
