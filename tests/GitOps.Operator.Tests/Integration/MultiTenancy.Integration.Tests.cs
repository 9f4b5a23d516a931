using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Operator.Tests.Install;
using GitOps.Sandbox;
using GitOps.Testing;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Trust boundaries, point 2 and the README's two-team example, on an API that authorises as
/// kube-apiserver's RBAC does: the operator runs with exactly the chart's RBAC (deploy/install.yaml)
/// as its service account, and every write an Application causes is impersonated as the team's
/// service account. With GITOPS_TEST_KUBECONFIG (a real cluster whose kubeconfig is an admin's and
/// which has the chart installed) the same steps run unchanged, the operator acting as the admin.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MultiTenancyTests : IAsyncLifetime
{
    private readonly string _temp = Directory.CreateTempSubdirectory("gitops-tenancy-").FullName;
    private SandboxServer? _sandbox;
    private string _adminKubeconfig = "";
    private GitHttpServer _git = null!;
    private WebApplication? _operator;
    private KubeApi _api = null!;
    private readonly StringWriter _logs = new();

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("GITOPS_TEST_KUBECONFIG");
        string operatorKubeconfig;
        if (!string.IsNullOrEmpty(external))
        {
            _adminKubeconfig = operatorKubeconfig = external;
        }
        else
        {
            _sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { Authorization = AuthorizationMode.Rbac, WorkloadReadyDelay = TimeSpan.FromMilliseconds(100) });
            _adminKubeconfig = _sandbox.WriteKubeconfig(Path.Combine(_temp, "admin.kubeconfig"));
            // The operator's own rights are the chart's, nothing more: its service account's token.
            await KubectlOkAsync("apply", "--server-side", "-f", InstallPaths.InstallYaml);
            operatorKubeconfig = _sandbox.WriteKubeconfig(Path.Combine(_temp, "operator.kubeconfig"),
                $"system:serviceaccount:{InstallPaths.Namespace}:{InstallPaths.Release}", []);
        }
        // On a real cluster the CRDs may already be there, applied by another manager (an install, the benchmark): take them over.
        await KubectlOkAsync("apply", "--server-side", "--force-conflicts", "-f", Path.Combine(ToolPaths.RepoRoot, "crds", "application.yaml"), "-f", Path.Combine(ToolPaths.RepoRoot, "crds", "project.yaml"));
        await KubectlOkAsync("wait", "--for=condition=Established", "crd/applications.gitops.dev", "crd/projects.gitops.dev", "--timeout=30s");
        _api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(_adminKubeconfig));
        _git = await GitHttpServer.StartAsync();
        _operator = OperatorHost.Build(OperatorOptions.Default with
        {
            Kubeconfig = operatorKubeconfig,
            Listen = "127.0.0.1:0",
            LeaseNamespace = InstallPaths.Namespace,
            DefaultServiceAccount = "deployer",
            CacheDirectory = Path.Combine(_temp, "cache"),
            JsonLogs = false,
            LogCopy = TextWriter.Synchronized(_logs),
        });
        await _operator.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_operator is not null)
        {
            await _operator.StopAsync();
            await _operator.DisposeAsync();
        }
        await _git.DisposeAsync();
        if (_sandbox is not null) await _sandbox.DisposeAsync();
        else await KubectlAsync("delete", "namespace", "team-a", "team-b", "--wait=false");
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task Tenancy_TwoTeamsFromTheReadme_EachWritesAsItsServiceAccountOnly()
    {
        using var teamA = await RepoAsync("team-a/config");
        using var teamB = await RepoAsync("team-b/config");
        teamA.Write("web/cm.yaml", ConfigMap("web-settings", "team-a", "v1"));
        var a1 = await teamA.CommitAndPushAsync("web v1");
        teamB.Write("api/cm.yaml", ConfigMap("api-settings", "team-b", "v1"));
        await teamB.CommitAndPushAsync("api v1");

        // The README's example, as written (only the Git server's address differs).
        await ApplyAsync(ReadmeExample().Replace("https://git.example.com", _git.BaseUrl, StringComparison.Ordinal));
        await WaitAppAsync("team-a", "web", a => OperatorFixture.IsSyncedAt(a, a1), "team A's web synced");
        Assert.NotNull(await _api.GetAsync("/api/v1/namespaces/team-a/configmaps/web-settings", default));

        // Team A's service account may not write a ResourceQuota (admin does not allow it): that object
        // fails alone with the API server's Forbidden message; the rest of the sync goes on.
        teamA.Write("web/cm.yaml", ConfigMap("web-settings", "team-a", "v2"));
        teamA.Write("web/quota.yaml", "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: more-pods\n  namespace: team-a\nspec:\n  hard:\n    pods: \"100\"\n");
        var a2 = await teamA.CommitAndPushAsync("web v2 and a quota");
        await RefreshAsync("team-a", "web");
        var web = await WaitAppAsync("team-a", "web", a => (string?)a["status"]?["sync"]?["revision"] == a2 && OperatorFixture.HasCondition(a, "SyncError"), "the quota refused");
        var error = OperatorFixture.ConditionMessage(web, "SyncError")!;
        if (_sandbox is not null)
            Assert.Contains("resourcequotas \"more-pods\" is forbidden: User \"system:serviceaccount:team-a:deployer\" cannot patch resource \"resourcequotas\" in API group \"\" in the namespace \"team-a\"", error, StringComparison.Ordinal);
        else Assert.Contains("forbidden", error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("v2", (string?)(await _api.GetAsync("/api/v1/namespaces/team-a/configmaps/web-settings", default))?["data"]?["value"]);
        Assert.Null(await _api.GetAsync("/api/v1/namespaces/team-a/resourcequotas/more-pods", default));

        // Team A's repository may not be used from team B's project; team B's namespace is out of team A's.
        teamA.Delete("web/quota.yaml");
        teamA.Write("web/elsewhere.yaml", ConfigMap("planted", "team-b", "x"));
        var a3 = await teamA.CommitAndPushAsync("plant a ConfigMap in team B");
        await RefreshAsync("team-a", "web");
        web = await WaitAppAsync("team-a", "web", a => OperatorFixture.HasCondition(a, "PolicyViolation") && OperatorFixture.ConditionMessage(a, "PolicyViolation")!.Contains("team-b", StringComparison.Ordinal),
            "team A's write into team B refused by its Project");
        Assert.Contains("destinations: namespace team-b is not one of Project team-a's destinations", OperatorFixture.ConditionMessage(web, "PolicyViolation"), StringComparison.Ordinal);
        Assert.Null(await _api.GetAsync("/api/v1/namespaces/team-b/configmaps/planted", default));
        Assert.NotNull(await _api.GetAsync("/api/v1/namespaces/team-a/configmaps/web-settings", default)); // nothing pruned

        // An Application that names neither a Project nor a service account still acts as the
        // namespace's "deployer" (--default-service-account): it cannot reach outside its namespace.
        teamB.Write("stray/cm.yaml", ConfigMap("stray", "team-a", "x"));
        await teamB.CommitAndPushAsync("stray");
        await ApplyAsync($$"""
            apiVersion: gitops.dev/v1alpha1
            kind: Application
            metadata: { name: stray, namespace: team-b }
            spec:
              source: { repoURL: "{{_git.RepoUrl("team-b/config")}}", path: stray }
              destination: { namespace: team-b }
              syncPolicy: { automated: { prune: true, selfHeal: true } }
            """);
        var stray = await WaitAppAsync("team-b", "stray", a => OperatorFixture.HasCondition(a, "SyncError"), "the stray write refused");
        if (_sandbox is not null)
            Assert.Contains("User \"system:serviceaccount:team-b:deployer\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"team-a\"", OperatorFixture.ConditionMessage(stray, "SyncError"), StringComparison.Ordinal);
        Assert.Null(await _api.GetAsync("/api/v1/namespaces/team-a/configmaps/stray", default));
        Assert.Equal(a3, (string?)web["status"]?["sync"]?["revision"]);

        // The cascade delete is a write the Application causes too: without its service account's
        // rights it does not happen (the operator's own rights would allow it), and with them it does.
        await KubectlOkAsync("patch", "-n", "team-a", "applications.gitops.dev/web", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"gitops.dev/cascade\"]}}");
        await KubectlOkAsync("delete", "-n", "team-a", "rolebinding/deployer-admin");
        await KubectlOkAsync("delete", "-n", "team-a", "applications.gitops.dev/web", "--wait=false");
        await Eventually.WaitAsync(() => Task.FromResult(_logs.ToString().Contains("cannot delete resource", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the cascade delete refused as team A's deployer");
        Assert.NotNull(await _api.GetAsync("/api/v1/namespaces/team-a/configmaps/web-settings", default));
        Assert.NotNull(await _api.GetAsync("/apis/gitops.dev/v1alpha1/namespaces/team-a/applications/web", default));
        await ApplyAsync(ReadmeExample().Replace("https://git.example.com", _git.BaseUrl, StringComparison.Ordinal).Split("\n---\n").Single(d => d.Contains("name: deployer-admin, namespace: team-a", StringComparison.Ordinal)));
        await Eventually.WaitAsync(async () => await _api.GetAsync("/apis/gitops.dev/v1alpha1/namespaces/team-a/applications/web", default) is null,
            TimeSpan.FromSeconds(45), "the cascade delete done once the rights are back");
        Assert.Null(await _api.GetAsync("/api/v1/namespaces/team-a/configmaps/web-settings", default));
    }

    /// <summary>The YAML between the README's two-teams markers.</summary>
    internal static string ReadmeExample()
    {
        var readme = File.ReadAllText(Path.Combine(ToolPaths.RepoRoot, "README.md"));
        var match = Regex.Match(readme, "<!-- two-teams:begin -->\\s*```yaml\\n(?<yaml>.*?)```\\s*<!-- two-teams:end -->", RegexOptions.Singleline);
        Assert.True(match.Success, "README.md has no two-teams example between its markers");
        return match.Groups["yaml"].Value;
    }

    private static string ConfigMap(string name, string ns, string value) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  value: {value}\n";

    private async Task<GitWorkTree> RepoAsync(string name)
    {
        await _git.CreateBareRepoAsync(name);
        return await GitWorkTree.CloneAsync(_git.RepoUrl(name), _git.ClientConfig);
    }

    private Task RefreshAsync(string ns, string name) =>
        KubectlOkAsync("annotate", "--overwrite", "-n", ns, $"applications.gitops.dev/{name}", $"gitops.dev/refresh-requested-at={DateTime.UtcNow:O}");

    private async Task<JsonObject> WaitAppAsync(string ns, string name, Func<JsonObject, bool> condition, string what)
    {
        JsonObject? last = null;
        try
        {
            return await Eventually.WaitAsync(async () =>
            {
                last = await _api.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{ns}/applications/{name}", default);
                return last is not null && condition(last) ? last : null;
            }, TimeSpan.FromSeconds(45), what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last status: {last?["status"]?.ToJsonString()}", e);
        }
    }

    private Task<ProcessResult> KubectlAsync(params string[] args) => ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", _adminKubeconfig, .. args]);

    private async Task KubectlOkAsync(params string[] args)
    {
        var result = await KubectlAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result}");
    }

    private async Task ApplyAsync(string yaml)
    {
        var result = await ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", _adminKubeconfig, "apply", "-f", "-"], yaml);
        Assert.True(result.ExitCode == 0, $"kubectl apply: {result}");
    }
}
