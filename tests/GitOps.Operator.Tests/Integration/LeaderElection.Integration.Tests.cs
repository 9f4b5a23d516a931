using GitOps.Operator.Hosting;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class LeaderElectionTests
{
    [Fact]
    public async Task TwoOperators_OnlyLeaderActs_StandbyTakesOverOnShutdown()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        WebApplication? first = null, second = null;
        try
        {
            var leaseNs = await fx.NewNamespaceAsync("lease");
            var options = OperatorOptions.Default with
            {
                LeaderElection = true, LeaseNamespace = leaseNs, LeaseDuration = TimeSpan.FromSeconds(4),
                RenewDeadline = TimeSpan.FromSeconds(3), RetryPeriod = TimeSpan.FromMilliseconds(500),
            };
            (first, var firstAddress) = await fx.StartOperatorAsync(options with { Identity = "op-a" });
            await Eventually.WaitAsync(async () => (string?)(await fx.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{leaseNs}/leases/gitops-operator"))?["spec"]?["holderIdentity"] == "op-a",
                TimeSpan.FromSeconds(15), "op-a leads");
            (second, var secondAddress) = await fx.StartOperatorAsync(options with { Identity = "op-b" });
            using var http = new HttpClient();
            await Eventually.WaitAsync(async () => (await http.GetAsync(new Uri(secondAddress, "/readyz"))).IsSuccessStatusCode,
                TimeSpan.FromSeconds(15), "the standby is ready once it knows the leader");
            Assert.Contains("standby: op-a leads", await http.GetStringAsync(new Uri(secondAddress, "/readyz")));

            using var s = await Scenario.StartAsync(fx, "leader");
            var rev = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
            await s.CreateAppAsync();
            await s.WaitSyncedAsync(rev);
            var standbyMetrics = await http.GetStringAsync(new Uri(secondAddress, "/metrics"));
            Assert.DoesNotContain("gitops_app_sync_total{", standbyMetrics);

            await first.StopAsync();
            await Eventually.WaitAsync(async () => (string?)(await fx.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{leaseNs}/leases/gitops-operator"))?["spec"]?["holderIdentity"] == "op-b",
                TimeSpan.FromSeconds(15), "op-b took over");
            var second2 = await s.PushAsync("second", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")));
            await s.RefreshAsync();
            await s.WaitSyncedAsync(second2);
            _ = firstAddress;
        }
        finally
        {
            if (first is not null) await first.DisposeAsync();
            if (second is not null)
            {
                await second.StopAsync();
                await second.DisposeAsync();
            }
            await fx.DisposeAsync();
        }
    }
}
