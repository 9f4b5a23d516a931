using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;

namespace GitOps.Sandbox.Tests.Replay;

/// <summary>
/// The replay of scenarios/ssa-deployment-list-merge-keys on a sandbox whose clock the test sets: every
/// write in one second (the recording's timing), or a second boundary between beta's last apply
/// (step 3) and alpha's re-apply (step 4), the timing of the CI run that failed with alpha and beta
/// swapped at step 4. kube-apiserver orders the entries by time (in seconds) before their names, so
/// across the boundary it lists beta first too, and the replay must accept that.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ManagedFieldsOrderReplayTests
{
    private const string CaseName = "scenarios/ssa-deployment-list-merge-keys";
    private static readonly DateTimeOffset Recorded = new(2026, 11, 26, 7, 54, 52, 500, TimeSpan.Zero);

    private sealed class SetClock(DateTimeOffset now) : IClock
    {
        private long _ticks = now.UtcTicks;

        public DateTimeOffset Now => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
    }

    public static TheoryData<string, int, string> Timing_TestData() => new()
    {
        { "one second", 400, "alpha,beta" },
        { "second boundary before step 4", 600, "beta,alpha" },
    };

    [Theory]
    [MemberData(nameof(Timing_TestData))]
    public async Task Replay_SecondBoundaryBeforeStep4_OrdersAsKubeApiserverAndMatchesRecording(string timing, int step4DelayMs, string step4Managers)
    {
        var clock = new SetClock(Recorded);
        await using var sandbox = await SandboxServer.StartAsync(SandboxOptions.Default with { Clock = clock, WorkloadReadyDelay = TimeSpan.FromMilliseconds(50) });
        using var client = new ReplayClient(sandbox);
        var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ReferenceRecordings.Namespace } };
        Assert.Equal(201, (await client.SendAsync("POST", "/api/v1/namespaces", ReplayClient.Json(ns))).Code);
        var steps = ReferenceRecordings.Case(CaseName).Steps!;

        var actual = await ReferenceReplayTests.SendStepsAsync(client, steps, async step =>
        {
            if (step < 4) return;
            // The deployment controller's writes after step 3 (status, revision, ReplicaSet) land between the
            // steps, at step 3's time: they are Update entries of their own and move neither applier's time.
            Assert.True(await sandbox.WaitForControllersIdleAsync(), "the sandbox's controllers did not settle");
            clock.Set(Recorded.AddMilliseconds(step4DelayMs));
        });

        var managers = actual[4].Body!["metadata"]!["managedFields"]!.AsArray().Select(e => (string?)e!["manager"]);
        Assert.True(step4Managers == string.Join(",", managers), $"{timing}: step 4 lists {string.Join(",", managers)}");
        var unexpected = ReferenceReplayTests.Unexpected(CaseName, ReferenceReplayTests.CompareSteps(steps, actual));
        Assert.True(unexpected.Count == 0, $"{timing}:\n{string.Join("\n", unexpected)}");
    }
}
