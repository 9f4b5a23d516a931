using GitOps.Operator.Hosting;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Each operator host logs through its own logger. When the hosts shared Serilog's static logger, one built
/// while another was being built or started took over the other's log, and disposing it silenced it: the
/// tests, which start hosts side by side, lost the fixture operator's log (a secret scan found it empty).
/// </summary>
[Trait("Category", "Integration")]
public sealed class HostLogsTests
{
    [Fact]
    public async Task AnotherHostBuiltAndDisposedMeanwhile_TheFirstStillLogsToItsOwnCopy()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        var (first, second) = (new StringWriter(), new StringWriter());
        var firstHost = Build(fx, first, "op-first");
        try
        {
            await using (var other = Build(fx, second, "op-other"))
            {
                await other.StartAsync();
                await other.StopAsync();
            }
            await firstHost.StartAsync();

            using var s = await Scenario.StartAsync(fx, "logs");
            var rev = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
            await s.CreateAppAsync();
            await s.WaitSyncedAsync(rev);

            await Eventually.WaitAsync(() => Task.FromResult(first.ToString().Contains(s.Namespace, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), "the first host's log has the app's lines");
            Assert.DoesNotContain(s.Namespace, second.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await firstHost.StopAsync();
            await firstHost.DisposeAsync();
            await fx.DisposeAsync();
        }
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(OperatorFixture fx, StringWriter logs, string identity) =>
        OperatorHost.Build(OperatorOptions.Default with
        {
            Kubeconfig = fx.KubeconfigPath, Listen = "127.0.0.1:0", JsonLogs = false, Identity = identity,
            CacheDirectory = Directory.CreateTempSubdirectory("gitops-host-logs-").FullName,
            LeaderElection = false, LogCopy = TextWriter.Synchronized(logs),
        });
}
