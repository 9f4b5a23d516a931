using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Sandbox;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Testing.Dashboard;

/// <summary>
/// A cluster the dashboard tests share: the sandbox with RBAC, the operator installed from
/// deploy/install.yaml and running as its own service account (so the chart's rights, auth-delegator
/// included, are what it has), a Git server, and four people:
/// alice may read and act on every Application, bob may only read them, carol may read those in
/// <see cref="NamespaceA"/> only, dave may read them all but act only in <see cref="NamespaceB"/>.
/// Applications: A/web (a ConfigMap and a Deployment, synced from
/// Git), A/broken (a repository that does not exist: SourceError) and B/api (a ConfigMap).
/// </summary>
public sealed class DashboardWorld : IAsyncLifetime
{
    public const string NamespaceA = "dash-a";
    public const string NamespaceB = "dash-b";
    private const string OperatorNamespace = "gitops-system";
    private const string OperatorAccount = "gitops-operator";

    private readonly string _temp = Directory.CreateTempSubdirectory("gitops-dash-").FullName;

    public SandboxServer Sandbox { get; private set; } = null!;
    public KubeApi Admin { get; private set; } = null!;
    internal GitHttpServer Git { get; private set; } = null!;
    internal GitWorkTree Repo { get; private set; } = null!;
    public WebApplication Operator { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;
    public string AdminKubeconfig { get; private set; } = "";
    public string AliceToken { get; private set; } = "";
    public string BobToken { get; private set; } = "";
    public string CarolToken { get; private set; } = "";
    public string DaveToken { get; private set; } = "";

    /// <summary>The kubeconfig of the operator's service account (the chart's rights).</summary>
    public string OperatorKubeconfig { get; private set; } = "";
    public string WebRevision { get; private set; } = "";
    public StringWriter Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { Authorization = AuthorizationMode.Rbac, WorkloadReadyDelay = TimeSpan.FromMilliseconds(100) });
        AdminKubeconfig = Sandbox.WriteKubeconfig(Path.Combine(_temp, "admin.kubeconfig"));
        Admin = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(AdminKubeconfig));
        await KubectlOkAsync("apply", "--server-side", "-f", Path.Combine(ToolPaths.RepoRoot, "deploy", "install.yaml"));
        await KubectlOkAsync("wait", "--for=condition=Established", "crd/applications.gitops.dev", "crd/projects.gitops.dev", "--timeout=30s");
        await ApplyAsync(Rbac);
        AliceToken = Sandbox.IssueToken("alice", ["devs"]);
        BobToken = Sandbox.IssueToken("bob", ["devs"]);
        CarolToken = Sandbox.IssueToken("carol", ["devs"]);
        DaveToken = Sandbox.IssueToken("dave", ["devs"]);

        Git = await GitHttpServer.StartAsync();
        await Git.CreateBareRepoAsync("config");
        Repo = await GitWorkTree.CloneAsync(Git.RepoUrl("config"), Git.ClientConfig);
        Repo.Write("web/settings.yaml", ConfigMap("web-settings", NamespaceA, "hello"));
        Repo.Write("web/deployment.yaml", Deployment("web", NamespaceA));
        Repo.Write("api/settings.yaml", ConfigMap("api-settings", NamespaceB, "api"));
        WebRevision = await Repo.CommitAndPushAsync("web: first version\n\nwith a body line");

        OperatorKubeconfig = Sandbox.WriteKubeconfig(Path.Combine(_temp, "operator.kubeconfig"), $"system:serviceaccount:{OperatorNamespace}:{OperatorAccount}", []);
        Operator = OperatorHost.Build(OperatorOptions.Default with
        {
            Kubeconfig = OperatorKubeconfig,
            Listen = "127.0.0.1:0",
            LeaseNamespace = OperatorNamespace,
            LeaderElection = false,
            CacheDirectory = Path.Combine(_temp, "cache"),
            JsonLogs = false,
            LogCopy = TextWriter.Synchronized(Logs),
        });
        await Operator.StartAsync();
        Address = new Uri(Operator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        await ApplyAsync(App(NamespaceA, "web", Git.RepoUrl("config"), "web") + "---\n" + App(NamespaceA, "broken", Git.RepoUrl("does-not-exist"), "x")
            + "---\n" + App(NamespaceB, "api", Git.RepoUrl("config"), "api"));
        await WaitAppAsync(NamespaceA, "web", a => (string?)a["status"]?["sync"]?["status"] == "Synced", "web synced");
        await WaitAppAsync(NamespaceA, "web", IsHealthy, "web healthy");
        await WaitAppAsync(NamespaceB, "api", a => (string?)a["status"]?["sync"]?["status"] == "Synced", "api synced");
        await WaitAppAsync(NamespaceA, "broken", a => (a["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["type"] == "SourceError") == true, "broken has a SourceError");
    }

    private static bool IsHealthy(System.Text.Json.Nodes.JsonObject? app) => (string?)app?["status"]?["health"]?["status"] == "Healthy";

    /// <summary>A client of the operator's listener that sends <paramref name="token"/> as a bearer token (none when null) and never follows redirects.</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<JsonObject> WaitAppAsync(string ns, string name, Func<JsonObject, bool> condition, string what, TimeSpan? deadline = null)
    {
        JsonObject? last = null;
        try
        {
            return await Eventually.WaitAsync(async () =>
            {
                last = await Admin.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{ns}/applications/{name}", CancellationToken.None);
                return last is not null && condition(last) ? last : null;
            }, deadline ?? TimeSpan.FromSeconds(60), what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last status: {last?["status"]?.ToJsonString()}", e);
        }
    }

    public async Task<string> KubectlOkAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", AdminKubeconfig, .. args]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed: {result}");
        return result.StdOut;
    }

    public async Task ApplyAsync(string yaml)
    {
        var result = await ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", AdminKubeconfig, "apply", "--server-side", "-f", "-"], yaml);
        if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl apply failed: {result}");
    }

    public static string App(string ns, string name, string repo, string path) => $$"""
        apiVersion: gitops.dev/v1alpha1
        kind: Application
        metadata: { name: {{name}}, namespace: {{ns}} }
        spec:
          source: { repoURL: "{{repo}}", path: {{path}} }
          destination: { namespace: {{ns}} }
          syncPolicy: { automated: { prune: true } }

        """;

    public static string ConfigMap(string name, string ns, string greeting) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  greeting: {greeting}\n";

    private static string Deployment(string name, string ns) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: {{name}}, namespace: {{ns}} }
        spec:
          replicas: 2
          selector: { matchLabels: { app: {{name}} } }
          template:
            metadata: { labels: { app: {{name}} } }
            spec:
              containers:
              - { name: web, image: "nginx:1.27", resources: { limits: { cpu: 100m, memory: 64Mi } } }

        """;

    private static string Rbac => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: { name: {{NamespaceA}} }
        ---
        apiVersion: v1
        kind: Namespace
        metadata: { name: {{NamespaceB}} }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: { name: gitops-app-admin }
        rules:
        - { apiGroups: [gitops.dev], resources: [applications], verbs: [get, list, watch, patch, update] }
        - { apiGroups: ["", apps], resources: ["*"], verbs: [get, list, watch, patch] }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: { name: gitops-app-viewer }
        rules:
        - { apiGroups: [gitops.dev], resources: [applications], verbs: [get, list, watch] }
        - { apiGroups: ["", apps], resources: [configmaps, deployments, replicasets, pods], verbs: [get, list, watch] }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: { name: alice-admin }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gitops-app-admin }
        subjects: [ { apiGroup: rbac.authorization.k8s.io, kind: User, name: alice } ]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: { name: bob-viewer }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gitops-app-viewer }
        subjects: [ { apiGroup: rbac.authorization.k8s.io, kind: User, name: bob } ]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: { name: carol-viewer, namespace: {{NamespaceA}} }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gitops-app-viewer }
        subjects: [ { apiGroup: rbac.authorization.k8s.io, kind: User, name: carol } ]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: { name: dave-viewer }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gitops-app-viewer }
        subjects: [ { apiGroup: rbac.authorization.k8s.io, kind: User, name: dave } ]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: { name: dave-admin, namespace: {{NamespaceB}} }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gitops-app-admin }
        subjects: [ { apiGroup: rbac.authorization.k8s.io, kind: User, name: dave } ]

        """;

    public async Task DisposeAsync()
    {
        if (Operator is not null)
        {
            await Operator.StopAsync();
            await Operator.DisposeAsync();
        }
        Repo?.Dispose();
        if (Git is not null) await Git.DisposeAsync();
        if (Sandbox is not null) await Sandbox.DisposeAsync();
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
