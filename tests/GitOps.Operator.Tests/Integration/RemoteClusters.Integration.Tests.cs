using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Many clusters from one operator: the operator runs against the fixture's API server and deploys to
/// a second one (<see cref="RemoteClusterFixture"/>) named by the Application's destination, by a
/// kubeconfig Secret in its own namespace (Flux's shape) or by a registered cluster (argocd cluster add's).
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RemoteClusterTests(OperatorFixture fx, RemoteClusterFixture remote) : IClassFixture<RemoteClusterFixture>
{
    private const string CreateNamespace = "    syncOptions: [CreateNamespace=true]";

    private static string SecretRef(string name) => $"    cluster: {{ secretRef: {{ name: {name} }} }}";

    /// <summary>A new Application deploying ConfigMaps a and b to the remote cluster with <paramref name="kubeconfig"/> (its Secret in the app's namespace).</summary>
    private async Task<(Scenario S, string Revision)> SyncedRemoteAsync(string prefix, string kubeconfig, string destinationExtra = "", bool selfHeal = true, string metadataExtra = "")
    {
        var s = await Scenario.StartAsync(fx, prefix);
        await fx.ApplyYamlAsync(RemoteClusterFixture.KubeconfigSecret(s.Namespace, "remote-kubeconfig", kubeconfig));
        var revision = await s.PushAsync("two maps", ("app/a.yaml", AppYaml.ConfigMap("a", "git")), ("app/b.yaml", AppYaml.ConfigMap("b", "git")));
        await s.CreateAppAsync(selfHeal: selfHeal, extraPolicy: CreateNamespace, destinationExtra: SecretRef("remote-kubeconfig") + destinationExtra, metadataExtra: metadataExtra);
        return (s, revision);
    }

    private static string? Token(string kubeconfig) =>
        kubeconfig.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("token: ", StringComparison.Ordinal))?["token: ".Length..];

    [Fact]
    public async Task SecretRef_SyncsHealsAndPrunesInTheRemoteCluster_NothingInItsOwn()
    {
        var (s, revision) = await SyncedRemoteAsync("remote", remote.AdminKubeconfig);
        using var _ = s;
        var app = await s.WaitSyncedAsync(revision);
        Assert.NotNull(await remote.ConfigMapAsync(s.Namespace, "a"));
        Assert.Null(await s.ConfigMapAsync("a"));
        Assert.True(OperatorFixture.HasCondition(app, "ClusterConnected"));
        Assert.Contains(remote.Sandbox.BaseAddress.Authority, OperatorFixture.ConditionMessage(app, "ClusterConnected"));
        Assert.Contains("Kubernetes v", OperatorFixture.ConditionMessage(app, "ClusterConnected"));

        // Its series say which cluster.
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri(fx.OperatorAddress, "/metrics"));
        Assert.Contains($"gitops_app_drifted_resources{{namespace=\"{s.Namespace}\",name=\"app\",cluster=\"{s.Namespace}/remote-kubeconfig\"}} 0", scrape, StringComparison.Ordinal);

        // Self-heal by the remote cluster's own watch.
        await remote.Api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{s.Namespace}/configmaps/a", "{\"data\":{\"value\":\"edited\"}}", "application/merge-patch+json", default);
        await Eventually.WaitAsync(async () => (string?)(await remote.ConfigMapAsync(s.Namespace, "a"))?["data"]?["value"] == "git", TimeSpan.FromSeconds(15), "the remote edit healed");

        // Prune in the remote cluster.
        var removed = await s.PushAsync("drop b", ("app/b.yaml", null));
        await s.RefreshAsync();
        await s.WaitSyncedAsync(removed);
        await Eventually.WaitAsync(async () => await remote.ConfigMapAsync(s.Namespace, "b") is null, TimeSpan.FromSeconds(15), "b pruned in the remote cluster");
        Assert.NotNull(await remote.ConfigMapAsync(s.Namespace, "a"));

        // The kubeconfig's token is nowhere the operator writes.
        var token = Token(remote.AdminKubeconfig)!;
        var events = await fx.KubectlOkAsync("get", "events", "-n", s.Namespace, "-o", "json");
        var status = (await fx.GetAppAsync(s.Namespace, s.App))!["status"]!.ToJsonString();
        Assert.DoesNotContain(token, events, StringComparison.Ordinal);
        Assert.DoesNotContain(token, status, StringComparison.Ordinal);
        Assert.DoesNotContain(token, fx.Logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_OfARemoteApp_ComparesWithTheRemoteCluster()
    {
        // Self-heal off, so the edit stays: what `gitops diff` and the dashboard show comes from the remote cluster.
        var (s, revision) = await SyncedRemoteAsync("remote-diff", remote.AdminKubeconfig, selfHeal: false);
        using var _ = s;
        await s.WaitSyncedAsync(revision);
        await remote.Api.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{s.Namespace}/configmaps/a", "{\"data\":{\"value\":\"edited remotely\"}}", "application/merge-patch+json", default);

        // The edit reaches the operator by the remote cluster's watch.
        await Eventually.WaitAsync(async () =>
        {
            var diff = await Preview.PlanPreview.ComputeAsync(fx.Operator!.Services, fx.Api, (await fx.GetAppAsync(s.Namespace, s.App))!, null, default);
            return diff.Tasks.Single(t => t.Task.Key.Name == "a").Diff.Contains("edited remotely", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "the diff shows the remote edit");
    }

    [Fact]
    public async Task Dashboard_TreeOfARemoteApp_ReadFromTheRemoteCluster()
    {
        var s = await Scenario.StartAsync(fx, "remote-tree");
        using var _ = s;
        await fx.ApplyYamlAsync(RemoteClusterFixture.KubeconfigSecret(s.Namespace, "remote-kubeconfig", remote.AdminKubeconfig));
        var revision = await s.PushAsync("a deployment", ("app/web.yaml", AppYaml.Deployment("web", "nginx:1.27")));
        await s.CreateAppAsync(extraPolicy: CreateNamespace, destinationExtra: SecretRef("remote-kubeconfig"));
        await s.WaitSyncedAsync(revision);
        if (fx.Sandbox is null) return; // a token the dashboard's TokenReview accepts is the sandbox's to issue

        // Its ReplicaSet lives only in the remote cluster: the tree finds it there.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", fx.Sandbox.IssueToken("viewer", ["system:authenticated"]));
        var html = await Eventually.WaitAsync(async () =>
        {
            var page = await http.GetStringAsync(new Uri(fx.OperatorAddress, $"/ui/apps/{s.Namespace}/{s.App}"));
            return page.Contains($"data-key=\"ReplicaSet/{s.Namespace}/web-", StringComparison.Ordinal) ? page : null;
        }, TimeSpan.FromSeconds(20), "the remote ReplicaSet in the tree");
        Assert.Contains($"data-key=\"Deployment/{s.Namespace}/web\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteApp_WithCascadeFinalizer_DeletesInTheRemoteCluster_ConnectionStops()
    {
        var (s, revision) = await SyncedRemoteAsync("remote-cascade", remote.AdminKubeconfig, metadataExtra: "  finalizers: [gitops.dev/cascade]");
        using var _ = s;
        await s.WaitSyncedAsync(revision);
        var clusters = fx.Operator!.Services.GetRequiredService<GitOps.Operator.Controller.DestinationClusters>();
        bool Connected() => clusters.Remote.Any(c => c.Cluster.Ref.SecretNamespace == s.Namespace);
        Assert.True(Connected());

        await fx.KubectlOkAsync("delete", "-n", s.Namespace, $"applications.gitops.dev/{s.App}", "--wait=false");
        await Eventually.WaitAsync(async () => await remote.ConfigMapAsync(s.Namespace, "a") is null, TimeSpan.FromSeconds(20), "the object deleted in the remote cluster");
        await Eventually.WaitAsync(() => Task.FromResult(!Connected()), TimeSpan.FromSeconds(20), "the connection to the remote cluster stopped with its last Application");
    }

    [Fact]
    public async Task SecretRef_OfAnotherTenant_IsNeverUsedOrShared()
    {
        // Team A's Secret reaches the remote cluster as its admin; team B's Secret of the same name holds a
        // kubeconfig of a user RBAC grants nothing. Each Application uses its own namespace's Secret only.
        var (a, revision) = await SyncedRemoteAsync("tenant-a", remote.AdminKubeconfig);
        using var _ = a;
        await a.WaitSyncedAsync(revision);

        using var b = await Scenario.StartAsync(fx, "tenant-b");
        var revisionB = await b.PushAsync("b's map", ("app/mine.yaml", AppYaml.ConfigMap("mine", "b")));
        await b.CreateAppAsync(extraPolicy: CreateNamespace, destinationExtra: SecretRef("remote-kubeconfig"));
        var missing = await b.WaitAsync(app => OperatorFixture.HasCondition(app, "ClusterConnected", "False"), "B has no Secret of that name");
        Assert.Contains($"Secret {b.Namespace}/remote-kubeconfig", OperatorFixture.ConditionMessage(missing, "ClusterConnected"));
        Assert.Equal("Unknown", (string?)missing["status"]?["health"]?["status"]);

        await fx.ApplyYamlAsync(RemoteClusterFixture.KubeconfigSecret(b.Namespace, "remote-kubeconfig", remote.KubeconfigFor("mallory")));
        await b.RefreshAsync();
        var refused = await b.WaitAsync(app => OperatorFixture.HasCondition(app, "ClusterConnected", "False")
            && OperatorFixture.ConditionMessage(app, "ClusterConnected")!.Contains("403", StringComparison.Ordinal)
            || OperatorFixture.HasCondition(app, "SyncError"), "B's own, powerless kubeconfig is refused by the remote cluster");
        Assert.False(OperatorFixture.IsSyncedAt(refused, revisionB));
        Assert.Null(await remote.Api.GetAsync($"/api/v1/namespaces/{b.Namespace}/configmaps/mine", default));
        Assert.NotNull(await remote.ConfigMapAsync(a.Namespace, "a"));
    }

    [Fact]
    public async Task RegisteredCluster_NeedsItsProjectToNameIt()
    {
        var name = $"edge-{Guid.NewGuid():N}"[..12];
        await fx.ApplyYamlAsync(RemoteClusterFixture.KubeconfigSecret("default", $"gitops-cluster-{name}", remote.AdminKubeconfig, $"  labels: {{ gitops.dev/cluster: {name} }}"));
        using var s = await Scenario.StartAsync(fx, "registered");
        var project = $"p-{s.Namespace}";
        string Project(string destination) => $$"""
            apiVersion: gitops.dev/v1alpha1
            kind: Project
            metadata:
              name: {{project}}
            spec:
              sourceRepos: ['*']
              destinations: [ {{destination}} ]
              clusterResourceWhitelist: [ { group: '', kind: Namespace } ]
            """;
        await fx.ApplyYamlAsync(Project("{ namespace: '*' }"));
        var revision = await s.PushAsync("a map", ("app/a.yaml", AppYaml.ConfigMap("a", "git")));
        await s.CreateAppAsync(extraPolicy: CreateNamespace, extraSpec: $"  project: {project}", destinationExtra: $"    clusterName: {name}");
        var denied = await s.WaitAsync(app => OperatorFixture.HasCondition(app, "PolicyViolation"), "the Project does not name the cluster");
        Assert.Contains($"cluster {name}", OperatorFixture.ConditionMessage(denied, "PolicyViolation"));
        Assert.Null(await remote.ConfigMapAsync(s.Namespace, "a"));

        await fx.ApplyYamlAsync(Project($"{{ namespace: '*', name: {name} }}"));
        await s.WaitSyncedAsync(revision);
        Assert.NotNull(await remote.ConfigMapAsync(s.Namespace, "a"));
    }

    [Fact]
    public async Task ClusterUnreachable_AppUnknownNothingApplied_RecoversByItself()
    {
        var (s, revision) = await SyncedRemoteAsync("unreachable", remote.AdminKubeconfig);
        using var _ = s;
        await s.WaitSyncedAsync(revision);

        await remote.Sandbox.StopServingAsync();
        string next;
        try
        {
            next = await s.PushAsync("drop b, change a", ("app/b.yaml", null), ("app/a.yaml", AppYaml.ConfigMap("a", "v2")));
            await s.RefreshAsync();
            var down = await s.WaitAsync(app => OperatorFixture.HasCondition(app, "ClusterConnected", "False"), "ClusterConnected False", TimeSpan.FromSeconds(60));
            Assert.Equal("Unknown", (string?)down["status"]?["health"]?["status"]);
            Assert.Equal("Unknown", (string?)down["status"]?["sync"]?["status"]);
            Assert.Contains("ClusterUnreachable", (string?)(down["status"]!["conditions"] as JsonArray)!.First(c => (string?)c!["type"] == "ClusterConnected")!["reason"]);
        }
        finally
        {
            await remote.Sandbox.StartServingAsync();
        }
        await s.WaitAsync(app => OperatorFixture.HasCondition(app, "ClusterConnected") && OperatorFixture.IsSyncedAt(app, next),
            "connected and synced again, by itself", TimeSpan.FromSeconds(90));
        Assert.Equal("v2", (string?)(await remote.ConfigMapAsync(s.Namespace, "a"))?["data"]?["value"]);
        Assert.Null(await remote.ConfigMapAsync(s.Namespace, "b"));
    }

    [Fact]
    public async Task ForbiddenServiceAccount_InTheRemoteCluster_SyncErrorSaysSo()
    {
        // The Application acts as its service account in the remote cluster too, where RBAC grants it nothing.
        var (s, _) = await SyncedRemoteAsync("remote-sa", remote.AdminKubeconfig, "\n    serviceAccountName: deployer");
        using var _s = s;
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SyncError") || OperatorFixture.HasCondition(a, "Ready", "False")
            && (OperatorFixture.ConditionMessage(a, "Ready") ?? "").Contains("forbidden", StringComparison.OrdinalIgnoreCase), "the remote cluster refuses the service account");
        var message = OperatorFixture.ConditionMessage(app, "SyncError") ?? OperatorFixture.ConditionMessage(app, "Ready") ?? "";
        Assert.Contains("system:serviceaccount:" + s.Namespace + ":deployer", message);
        Assert.Null(await remote.ConfigMapAsync(s.Namespace, "a"));
    }

    [Fact]
    public async Task ExecKubeconfig_RefusedByDefault_NothingRun()
    {
        using var s = await Scenario.StartAsync(fx, "remote-exec");
        var marker = Path.Combine(Path.GetTempPath(), $"gitops-exec-ran-{Guid.NewGuid():N}");
        var exec = $$$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: { server: "{{{remote.Sandbox.BaseAddress}}}" }
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: /bin/sh
                  args: ["-c", "touch {{{marker}}}; echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\"}}'"]
                  interactiveMode: Never
            contexts:
            - name: c
              context: { cluster: c, user: u }
            current-context: c
            """;
        await fx.ApplyYamlAsync(RemoteClusterFixture.KubeconfigSecret(s.Namespace, "exec-kubeconfig", exec));
        await s.PushAsync("a map", ("app/a.yaml", AppYaml.ConfigMap("a", "git")));
        await s.CreateAppAsync(extraPolicy: CreateNamespace, destinationExtra: SecretRef("exec-kubeconfig"));
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "ClusterConnected", "False"), "the exec kubeconfig refused");
        Assert.Contains("exec credential plugins are refused", OperatorFixture.ConditionMessage(app, "ClusterConnected"));
        Assert.False(File.Exists(marker), "the exec plugin ran");
    }
}
