using GitOps.Operator.Controller;
using GitOps.Operator.Hosting;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Sharding by cluster: the Applications of a registered cluster go to the shard its registration's
/// gitops.dev/shard label names, and move when the label changes. (The registered "cluster" is the
/// fixture's own API server under another name: what matters here is who reconciles.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterShardingTests
{
    [Fact]
    public async Task RegistrationShardLabel_PinsItsApps_RelabelMovesThem()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        var operators = new List<(WebApplication App, Uri Address)>();
        try
        {
            var system = await fx.NewNamespaceAsync("clustershard");
            var kubeconfig = await File.ReadAllTextAsync(fx.KubeconfigPath);
            await fx.ApplyYamlAsync(RemoteClusterFixture.KubeconfigSecret(system, "gitops-cluster-edge", kubeconfig,
                "  labels: { gitops.dev/cluster: edge, gitops.dev/shard: \"1\" }"));
            var options = OperatorOptions.Default with
            {
                LeaseNamespace = system, LeaseDuration = TimeSpan.FromSeconds(4), RenewDeadline = TimeSpan.FromSeconds(3), RetryPeriod = TimeSpan.FromMilliseconds(500),
            };
            foreach (var shard in new[] { 0, 1 })
                operators.Add(await fx.StartOperatorAsync(options with { Identity = $"replica-{shard}", Sharding = new Sharding(shard, 2) }));

            using var s = await Scenario.StartAsync(fx, "edge");
            var names = Enumerable.Range(0, 4).Select(i => $"app-{i}").ToList();
            var first = await s.PushAsync("v1", [.. names.Select(n => ($"{n}/cm.yaml", (string?)AppYaml.ConfigMap($"{n}-settings", "v1")))]);
            foreach (var name in names) await s.CreateAppAsync(path: name, name: name, interval: "1h", destinationExtra: "    clusterName: edge");
            foreach (var name in names) await s.WaitSyncedAsync(first, name);

            using var http = new HttpClient();
            async Task<List<string>> AppsOfAsync(int shard) => ShardingIntegrationTests.AppsIn(await http.GetStringAsync(new Uri(operators[shard].Address, "/metrics")), s.Namespace);
            Assert.Equal(names, await AppsOfAsync(1));
            Assert.Empty(await AppsOfAsync(0));

            // The registration moves to shard 0: its Applications follow, and shard 1 lets them go.
            await fx.KubectlOkAsync("label", "--overwrite", "-n", system, "secret/gitops-cluster-edge", "gitops.dev/shard=0");
            var second = await s.PushAsync("v2", [.. names.Select(n => ($"{n}/cm.yaml", (string?)AppYaml.ConfigMap($"{n}-settings", "v2")))]);
            foreach (var name in names)
                await fx.KubectlOkAsync("annotate", "--overwrite", "-n", s.Namespace, $"applications.gitops.dev/{name}", $"gitops.dev/refresh-requested-at={DateTime.UtcNow:O}");
            foreach (var name in names) await s.WaitSyncedAsync(second, name);
            await Eventually.WaitAsync(async () => (await AppsOfAsync(0)).SequenceEqual(names), TimeSpan.FromSeconds(30), "shard 0 reconciles the cluster's apps");
        }
        finally
        {
            foreach (var (op, _) in operators)
            {
                await op.StopAsync();
                await op.DisposeAsync();
            }
            await fx.DisposeAsync();
        }
    }
}
