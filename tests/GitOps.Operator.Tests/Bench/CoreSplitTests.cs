using GitOps.Loop.Bench;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Bench;

/// <summary>
/// The benchmark's --cluster-cores: the API server on some cores, the rest of the run on the others. The lists
/// are parsed and checked against the machine; a child process started on cores, or moved onto them, runs there
/// (the kernel's Cpus_allowed_list says so).
/// </summary>
public sealed class CoreSplitTests
{
    public static TheoryData<string, int[]> ParseList_TestData => new()
    {
        { "0", [0] },
        { "0-1", [0, 1] },
        { "3,0-1", [0, 1, 3] },
        { "1, 1", [1] },
    };

    [Theory]
    [MemberData(nameof(ParseList_TestData))]
    public void ParseList_Lists_CoresInOrderEachOnce(string list, int[] expected) =>
        Assert.Equal(expected, CoreSplit.ParseList(list));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("1-0")]
    [InlineData("0-1-2")]
    [InlineData("-1")]
    public void ParseList_NotAList_Refused(string list) =>
        Assert.Throws<ArgumentException>(() => CoreSplit.ParseList(list));

    [Fact]
    public void Of_TheRestGetsTheOtherCores()
    {
        var split = CoreSplit.Of("0", 4);

        Assert.Equal([0], split.Cluster);
        Assert.Equal([1, 2, 3], split.Rest);
    }

    [Theory]
    [InlineData("0-1", "leaves no core")]
    [InlineData("2", "this machine has cores 0-1")]
    public void Of_OnTwoCores_RefusesWhatCannotBeSplit(string list, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => CoreSplit.Of(list, 2));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClusterCores_SplitsThisMachine()
    {
        var machine = CoreSplit.MachineCores();
        Assert.True(machine >= 1);
        if (machine < 2)
        {
            Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--cluster-cores", "0"]));
            return;
        }

        var options = BenchOptions.Parse(["--cluster-cores", "0"]);

        Assert.Equal([0], options.Cores!.Cluster);
        Assert.Equal(Enumerable.Range(1, machine - 1), options.Cores.Rest);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--cluster-cores", $"0-{machine - 1}"]));
    }

    [Fact]
    public void Parse_ClusterCoresOnAnExistingClusterWithoutItsProcesses_Refused()
    {
        var kubeconfig = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--kubeconfig", kubeconfig, "--cluster-cores", "0"]));

            Assert.Contains("--cluster-pid", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public Task Start_OnCores_TheChildRunsThereUnderItsOwnPid() => WithSleepAsync([0], async child =>
    {
        await Eventually.WaitAsync(() => Task.FromResult(CommandOf(child.Pid) == "sleep"), TimeSpan.FromSeconds(10), "taskset to run sleep in its place");

        Assert.Equal([0], CoreSplit.AllowedCores(child.Pid));
    });

    [Fact]
    public Task PinAsync_MovesARunningProcess() => WithSleepAsync(null, async child =>
    {
        await CoreSplit.PinAsync(child.Pid, [0], CancellationToken.None);

        Assert.Equal([0], CoreSplit.AllowedCores(child.Pid));
    });

    [Fact]
    public async Task PinAsync_NoSuchProcess_SaysSo()
    {
        var e = await Assert.ThrowsAsync<BenchException>(() => CoreSplit.PinAsync(int.MaxValue, [0], CancellationToken.None));

        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A <c>sleep 30</c> child (on <paramref name="cores"/>, or any), stopped after the test.</summary>
    private static async Task WithSleepAsync(IReadOnlyList<int>? cores, Func<ChildProcess, Task> test)
    {
        var log = Path.GetTempFileName();
        var child = ChildProcess.Start("/bin/sleep", ["30"], log, cores: cores);
        try
        {
            await test(child);
        }
        finally
        {
            await child.DisposeAsync();
            File.Delete(log);
        }
    }

    private static string? CommandOf(int pid) =>
        File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : null;
}
