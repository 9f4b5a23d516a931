using System.Text.Json.Nodes;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// The source cache directory full or read-only (a small tmpfs, filled or remounted): a SourceError
/// that says so, no crash, nothing applied, and a sync once there is room again.
/// </summary>
[Collection(SourceFaultsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CacheDirectoryFaultsTests(SourceFaultsFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task CacheFull_NewCommit_SourceErrorThenRecoversWhenFreed()
    {
        var filler = Path.Combine(fx.CacheDirectory, "filler");
        using var stop = new CancellationTokenSource();
        Thread? keepFull = null;
        long retaken = 0;
        await FaultThenRecoverAsync("full", () =>
        {
            Fill(filler);
            // Whatever the operator frees (a failed fetch's temp pack, old trees) is taken again at once, on a
            // thread of its own: a pool thread can wait seconds on a loaded machine, long enough for a fetch to fit.
            keepFull = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    if (new DriveInfo(fx.CacheDirectory).AvailableFreeSpace > 0) Interlocked.Add(ref retaken, Fill(filler));
                    else stop.Token.WaitHandle.WaitOne(1);
                }
            }) { IsBackground = true, Name = "keep-cache-full" };
            keepFull.Start();
            return Task.CompletedTask;
        }, async () =>
        {
            await stop.CancelAsync();
            keepFull!.Join();
            output.WriteLine($"full: {Interlocked.Read(ref retaken)} bytes freed meanwhile and taken again");
            File.Delete(filler);
        });
    }

    /// <summary>Appends to <paramref name="filler"/> until the filesystem has no room left; returns how many bytes it took.</summary>
    private static long Fill(string filler)
    {
        using var stream = new FileStream(filler, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        var before = stream.Length;
        var block = new byte[64 << 10];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException)
        {
            // No space left on device: the cache is full.
        }
        return new FileInfo(filler).Length - before;
    }

    [Fact]
    public Task CacheReadOnly_NewCommit_SourceErrorThenRecoversWhenWritable() =>
        FaultThenRecoverAsync("read-only", () => fx.RemountAsync(readOnly: true), () => fx.RemountAsync(readOnly: false));

    private async Task FaultThenRecoverAsync(string caseName, Func<Task> breakCache, Func<Task> repairCache)
    {
        if (fx.Cluster.Sandbox is null) return;
        if (fx.MountRefusal is not null)
        {
            output.WriteLine($"skipped: {fx.MountRefusal}"); // a read-only folder does not stop root, so without a mount there is no test
            return;
        }

        using var s = await Scenario.StartAsync(fx.Cluster, "cachefs");
        var first = await s.PushAsync("first", ("app/settings.yaml", AppYaml.ConfigMap("settings", "one")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);
        // The cache breaks before the commit exists: no reconcile can have fetched it meanwhile.
        await breakCache();
        string second;
        try
        {
            second = await s.PushAsync("second", ("app/settings.yaml", AppYaml.ConfigMap("settings", "two")));
            await s.RefreshAsync();
            JsonObject failed;
            try
            {
                failed = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SourceError"), $"{caseName}: SourceError", TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                output.WriteLine($"{caseName}: the operator's log of {s.Namespace}:\n" + string.Join("\n", fx.Logs.ToString().Split('\n').Where(l => l.Contains(s.Namespace, StringComparison.Ordinal))));
                throw;
            }
            var message = OperatorFixture.ConditionMessage(failed, "SourceError") ?? "";
            output.WriteLine($"{caseName}: {message}");
            Assert.Contains("source cache directory is full or read-only", message, StringComparison.Ordinal);
            Assert.Equal("one", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
            using var http = new HttpClient();
            Assert.Equal("ok", await http.GetStringAsync(new Uri(fx.OperatorAddress, "/healthz")));
        }
        finally
        {
            await repairCache();
        }

        await s.RefreshAsync();
        await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, second) && !OperatorFixture.HasCondition(a, "SourceError"), $"{caseName}: synced once the cache is usable", TimeSpan.FromSeconds(60));
        Assert.Equal("two", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
        Assert.Empty(fx.Leftovers());
    }
}
