using GitOps.Operator.Dashboard;
using GitOps.Operator.Hosting;
using GitOps.Operator.Tests.Integration;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>A standby replica (not the leader) serves the dashboard from its own Application informer; only the leader reconciles.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardStandbyIntegrationTests
{
    [Fact]
    public async Task Dashboard_OnTheStandby_ListsTheApplicationsAndFollowsChanges()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        WebApplication? leader = null, standby = null;
        try
        {
            var leaseNs = await fx.NewNamespaceAsync("lease");
            var options = OperatorOptions.Default with
            {
                LeaderElection = true, LeaseNamespace = leaseNs, LeaseDuration = TimeSpan.FromSeconds(4),
                RenewDeadline = TimeSpan.FromSeconds(3), RetryPeriod = TimeSpan.FromMilliseconds(500),
                Dashboard = DashboardOptions.Default with { Anonymous = true },
            };
            (leader, _) = await fx.StartOperatorAsync(options with { Identity = "op-leader" });
            await Eventually.WaitAsync(async () => (string?)(await fx.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{leaseNs}/leases/gitops-operator"))?["spec"]?["holderIdentity"] == "op-leader",
                TimeSpan.FromSeconds(15), "op-leader leads");
            (standby, var standbyAddress) = await fx.StartOperatorAsync(options with { Identity = "op-standby" });
            using var http = new HttpClient { BaseAddress = standbyAddress };
            await Eventually.WaitAsync(async () => (await http.GetStringAsync("/readyz")).Contains("standby: op-leader leads", StringComparison.Ordinal),
                TimeSpan.FromSeconds(15), "the standby knows the leader");

            using var s = await Scenario.StartAsync(fx, "standby");
            var rev = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
            await s.CreateAppAsync();
            await s.WaitSyncedAsync(rev);

            // The status the leader wrote reaches the standby's page through its own watch.
            var row = await Eventually.WaitAsync(async () =>
            {
                var html = await http.GetStringAsync("/");
                var start = html.IndexOf($"id=\"app:{s.Namespace}/app\"", StringComparison.Ordinal);
                return start >= 0 && html.IndexOf("Synced", start, StringComparison.Ordinal) > start ? html : null;
            }, TimeSpan.FromSeconds(15), "the standby's dashboard lists the synced Application");
            Assert.Contains("data-count=\"total\">1<", row, StringComparison.Ordinal);
            Assert.Contains(rev[..12], row, StringComparison.Ordinal);
            Assert.DoesNotContain("gitops_app_sync_total{", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }
        finally
        {
            if (leader is not null) await leader.DisposeAsync();
            if (standby is not null)
            {
                await standby.StopAsync();
                await standby.DisposeAsync();
            }
            await fx.DisposeAsync();
        }
    }
}
