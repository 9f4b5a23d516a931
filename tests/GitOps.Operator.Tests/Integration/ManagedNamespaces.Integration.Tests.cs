using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// `--managed-namespaces` (the chart's rbac.manage.namespaces): the operator's informers list and
/// watch only the listed namespaces, and objects elsewhere or cluster-scoped are refused with a
/// clear error, so a Role-only install never meets a 403; and one that does says so in status.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ManagedNamespacesTests
{
    /// <summary>A fresh API and an operator that sees it through Role-only RBAC for the scenario's namespace.</summary>
    private static async Task UnderRoleOnlyRbacAsync(string prefix, bool restricted, Func<OperatorFixture, Scenario, RoleScopedKubeApi, Task> test)
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        WebApplication? op = null;
        try
        {
            using var s = await Scenario.StartAsync(fx, prefix);
            var rbac = new RoleScopedKubeApi(fx.Api, new HashSet<string> { s.Namespace });
            var scope = restricted ? new ManagedScope([s.Namespace]) : ManagedScope.Everywhere;
            (op, _) = await fx.StartOperatorAsync(OperatorOptions.Default with { LeaderElection = false, ManagedScope = scope },
                services => services.AddSingleton<IKubeApi>(rbac));
            await test(fx, s, rbac);
        }
        finally
        {
            if (op is not null)
            {
                await op.StopAsync();
                await op.DisposeAsync();
            }
            await fx.DisposeAsync();
        }
    }

    [Fact]
    public Task RestrictedOperator_ManagesItsNamespaceOnly_RefusesTheRestWithoutA403() => UnderRoleOnlyRbacAsync("scoped", restricted: true, async (fx, s, rbac) =>
    {
        var other = await fx.NewNamespaceAsync("elsewhere");
        await s.PushAsync("mixed",
            ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")),
            ("app/other.yaml", AppYaml.ConfigMap("stray", "v1", $"  namespace: {other}")),
            ("app/role.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: scoped-reader\nrules: []\n"));
        await s.CreateAppAsync(extraPolicy: "    syncOptions: [CreateNamespace=true]");

        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SyncError"), "SyncError for the objects out of scope");
        await Eventually.WaitAsync(async () => await s.ConfigMapAsync("settings") is not null, TimeSpan.FromSeconds(30), "the object in scope applied");
        var message = OperatorFixture.ConditionMessage(app, "SyncError");
        Assert.Contains($"namespace \"{other}\" is not managed by this operator (--managed-namespaces {s.Namespace})", message);
        Assert.Contains("ClusterRole", message);
        Assert.Contains("cluster-scoped objects are not managed by this operator", message);
        Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{other}/configmaps/stray"));
        Assert.Null(await fx.GetAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles/scoped-reader"));

        var second = await s.PushAsync("in scope only", ("app/other.yaml", null), ("app/role.yaml", null), ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")));
        await s.RefreshAsync();
        app = await s.WaitSyncedAsync(second);
        Assert.False(OperatorFixture.HasCondition(app, "SyncError"));
        Assert.Equal("v2", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);

        await fx.KubectlOkAsync("patch", "configmap", "settings", "-n", s.Namespace, "--type=merge", "-p", """{"data":{"value":"by hand"}}""");
        await Eventually.WaitAsync(async () => (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"] == "v2", TimeSpan.FromSeconds(30), "the edit healed from a namespace-scoped watch");

        Assert.Empty(rbac.Forbidden);
    });

    [Fact]
    public Task UnrestrictedOperator_UnderRoleOnlyRbac_SaysForbiddenInStatusInsteadOfHanging() => UnderRoleOnlyRbacAsync("unscoped", restricted: false, async (_, s, rbac) =>
    {
        await s.PushAsync("one", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));

        await s.CreateAppAsync();

        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SyncError"), "SyncError naming the refused list");
        var message = OperatorFixture.ConditionMessage(app, "SyncError");
        Assert.Contains("403 Forbidden", message);
        Assert.Contains("cannot list configmaps in all namespaces", message);
        Assert.NotEqual("Synced", (string?)app["status"]?["sync"]?["status"]);
        Assert.True(OperatorFixture.HasCondition(app, "Ready", "False"));
        Assert.Contains(rbac.Forbidden, f => f.StartsWith("GET /api/v1/configmaps", StringComparison.Ordinal));
    });
}
