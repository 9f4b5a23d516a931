using GitOps.Operator.Hosting;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Integration;

/// <summary>An operator started before the Application CRD exists waits for it (not ready meanwhile) and then works.</summary>
[Trait("Category", "Integration")]
public sealed class CrdInstalledLaterTests
{
    [Fact]
    public async Task OperatorStartedBeforeTheCrd_NotReadyUntilItExists_ThenSyncs()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        WebApplication? op = null;
        try
        {
            if (fx.Sandbox is null) return; // deleting the CRD of a shared real cluster is not a test's business
            await fx.KubectlOkAsync("delete", "crd", "applications.gitops.dev", "--wait=true", "--timeout=60s");
            (op, var address) = await fx.StartOperatorAsync(OperatorOptions.Default with { LeaderElection = false });
            using var http = new HttpClient();
            await Eventually.WaitAsync(async () => (await http.GetStringAsync(new Uri(address, "/healthz"))) == "ok", TimeSpan.FromSeconds(30), "alive");
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri(address, "/readyz"))).StatusCode);

            await fx.KubectlOkAsync("apply", "-f", Path.Combine(ToolPaths.RepoRoot, "crds", "application.yaml"));
            await fx.KubectlOkAsync("wait", "--for=condition=Established", "crd/applications.gitops.dev", "--timeout=30s");
            await Eventually.WaitAsync(async () => (await http.GetAsync(new Uri(address, "/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "ready once the CRD exists");

            using var s = await Scenario.StartAsync(fx, "crdlater");
            var rev = await s.PushAsync("one", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
            await s.CreateAppAsync();
            await s.WaitSyncedAsync(rev);
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
}
