namespace GitOps.Operator.Tests.Cli;

[Trait("Category", "Integration")]
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_NoInteractive_SeesSyncHealAndRolloutThenExitsZero()
    {
        var result = await CliRun.RunAsync(TimeSpan.FromMinutes(4), "demo", "--no-interactive");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("hello            Syncing -> Synced (sync Synced, health Healthy)", result.Out);
        Assert.Matches(@"healed: greeting is ""Hello from Git \(revision 1\)"" again, \d+ ms after the edit", result.Out);
        Assert.Matches(@"rolled out [0-9a-f]{12} in [\d.]+s after the push .*greeting ""Hello from Git \(revision 2\)"", 3 ready replicas", result.Out);
        Assert.Contains("kubectl get gapp -A", result.Out);
        Assert.Equal("", result.Err);
    }

    [Fact]
    public async Task Demo_WorkDirectory_LeavesNothingRunningAndKeepsTheLog()
    {
        var work = Path.Combine(Path.GetTempPath(), "gitops-demo-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var result = await CliRun.RunAsync(TimeSpan.FromMinutes(4), "demo", "--no-interactive", "--workdir", work);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("syncing", await File.ReadAllTextAsync(Path.Combine(work, "operator.log")));
            var kubeconfig = Path.Combine(work, "kubeconfig");
            var after = await CliRun.RunAsync("status", "--kubeconfig", kubeconfig);
            Assert.Equal(1, after.ExitCode);
            Assert.StartsWith("gitops status: cannot reach the Kubernetes API", after.Err);
            Assert.Single(after.Err.Trim().Split('\n'));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
