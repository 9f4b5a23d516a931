using System.Diagnostics;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// The Git server answering 500, sending a truncated pack or hanging mid-fetch: the Application gets
/// SourceError (in seconds for a hang: the fetch deadline), nothing is applied or pruned, and once the
/// server is healthy it syncs, with no lock or half-written state left in the cache.
/// </summary>
[Collection(SourceFaultsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GitServerFaultsTests(SourceFaultsFixture fx, ITestOutputHelper output)
{
    public static TheoryData<string, GitServerFault> Faults_TestData() => new()
    {
        { "500 on every request", GitServerFault.InternalError },
        { "truncated pack", GitServerFault.TruncatedPack },
        { "hang mid-fetch", GitServerFault.HangMidFetch },
    };

    [Theory]
    [MemberData(nameof(Faults_TestData))]
    public async Task Fetch_ServerFault_SourceErrorNothingAppliedThenRecovers(string caseName, GitServerFault fault)
    {
        if (fx.Cluster.Sandbox is null) return;
        using var s = await Scenario.StartAsync(fx.Cluster, "gitfault");
        var first = await s.PushAsync("first", ("app/settings.yaml", AppYaml.ConfigMap("settings", "one")), ("app/extra.yaml", AppYaml.ConfigMap("extra", "x")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);
        var second = await s.PushAsync("second", ("app/settings.yaml", AppYaml.ConfigMap("settings", "two")), ("app/extra.yaml", null));
        var deletesBefore = fx.Cluster.Sandbox.Requests.Count("delete", "configmaps");
        var appliesBefore = fx.Cluster.Sandbox.Requests.Count("apply", "configmaps");

        var clock = Stopwatch.StartNew();
        fx.Cluster.Git.Fault = fault;
        TimeSpan failedAfter;
        try
        {
            await s.RefreshAsync();
            var failed = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SourceError"), $"{caseName}: SourceError", TimeSpan.FromSeconds(30));
            failedAfter = clock.Elapsed;
            Assert.Equal(first, (string?)failed["status"]?["sync"]?["revision"]);
            Assert.Equal("one", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
            Assert.NotNull(await s.ConfigMapAsync("extra"));
            Assert.Equal(deletesBefore, fx.Cluster.Sandbox.Requests.Count("delete", "configmaps"));
            Assert.Equal(appliesBefore, fx.Cluster.Sandbox.Requests.Count("apply", "configmaps"));
            output.WriteLine($"{caseName}: SourceError after {failedAfter.TotalSeconds:F1} s: {OperatorFixture.ConditionMessage(failed, "SourceError")}");
        }
        finally
        {
            fx.Cluster.Git.Fault = GitServerFault.None;
        }

        clock.Restart();
        await s.RefreshAsync();
        await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, second) && !OperatorFixture.HasCondition(a, "SourceError"), $"{caseName}: synced once the server is healthy", TimeSpan.FromSeconds(60));
        Assert.Equal("two", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
        await Eventually.WaitAsync(async () => await s.ConfigMapAsync("extra") is null, TimeSpan.FromSeconds(15), $"{caseName}: extra pruned as Git says, once healthy");
        Assert.True(fx.Leftovers().Count == 0, $"{caseName}: left in the cache: {string.Join(", ", fx.Leftovers())}");
        output.WriteLine($"{caseName}: recovered {clock.Elapsed.TotalSeconds:F1} s after the server was healthy again");
        if (fault == GitServerFault.HangMidFetch)
            Assert.True(failedAfter < TimeSpan.FromSeconds(20), $"a hung fetch took {failedAfter.TotalSeconds:F0} s to fail");
    }
}
