using System.Diagnostics;
using GitOps.Sandbox.Store;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// `kill -9` of a real operator process at random points (seeded), twenty times, while it syncs
/// several apps and Git changes under it: the next process converges everything, nothing is lost,
/// and the only objects deleted are the ones Git dropped, each once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OperatorKilledTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261206;
    private const int Kills = 20;
    private const int Apps = 8;
    private readonly OperatorFixture _fx = new() { StartOperator = false };
    private readonly string _temp = Directory.CreateTempSubdirectory("gitops-killed-").FullName;

    public Task InitializeAsync() => _fx.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _fx.DisposeAsync();
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task KilledTwentyTimesAtRandomPoints_DuringSyncs_ConvergesNothingDeletedWrongly()
    {
        if (_fx.Sandbox is null) return; // the deletion record comes from the sandbox's store
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        using var s = await Scenario.StartAsync(_fx, "killed");
        var deleted = new List<string>();
        var created = new List<string>();
        using var subscription = _fx.Sandbox.Store.Subscribe(_fx.Sandbox.Store.Revision, k => k.Resource.Resource == "configmaps" && k.Namespace == s.Namespace)!;
        var recorder = RecordAsync(subscription, created, deleted);

        await s.PushAsync("first", Enumerable.Range(0, Apps).SelectMany(i => new[]
        {
            ($"apps/a{i}/keep.yaml", (string?)AppYaml.ConfigMap($"keep-{i}", "v1")),
            ($"apps/a{i}/gone.yaml", (string?)AppYaml.ConfigMap($"gone-{i}", "v1")),
        }).ToArray());
        await ManyApps.ApplyAsync(s, Apps);
        string? second = null;
        var killedAfter = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            if (kill == Kills / 2)
            {
                second = await s.PushAsync("second", Enumerable.Range(0, Apps).SelectMany(i => new[]
                {
                    ($"apps/a{i}/keep.yaml", (string?)AppYaml.ConfigMap($"keep-{i}", "v2")),
                    ($"apps/a{i}/gone.yaml", (string?)null),
                    ($"apps/a{i}/new.yaml", (string?)AppYaml.ConfigMap($"new-{i}", "v2")),
                }).ToArray());
            }
            // A quarter of the kills land during start-up, the rest at a random point after the process
            // is watching (its first reconciles, fetches, applies, prunes and status writes).
            var duringStartup = random.Next(4) == 0;
            var after = duringStartup ? random.Next(0, 800) : random.Next(0, 1200);
            using var op = OperatorProcess.Start(_fx.KubeconfigPath, _temp);
            if (!duringStartup && !await op.OutputContainsAsync("watching Applications", TimeSpan.FromSeconds(30)))
                throw new InvalidOperationException($"the operator did not start watching:\n{op.Output}");
            await Task.Delay(after); // the random point of the kill: the test's subject, not a wait for a condition
            Assert.False(op.HasExited, $"the operator exited by itself before kill {kill}:\n{op.Output}");
            await op.KillAsync();
            killedAfter.Add(duringStartup ? $"start+{after}" : $"ready+{after}");
        }

        using (var last = OperatorProcess.Start(_fx.KubeconfigPath, _temp))
        {
            try
            {
                await Eventually.WaitAsync(async () => await ManyApps.SyncedAsync(s, second!) == Apps, TimeSpan.FromSeconds(60), "every app synced at the second commit");
                await Eventually.WaitAsync(async () =>
                {
                    var names = await ConfigMapNamesAsync(s);
                    return Enumerable.Range(0, Apps).All(i => names.Contains($"keep-{i}") && names.Contains($"new-{i}") && !names.Contains($"gone-{i}"));
                }, TimeSpan.FromSeconds(20), "the objects are as in Git");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\nlast operator's output:\n{last.Output}", e);
            }
            await last.KillAsync();
        }

        for (var i = 0; i < Apps; i++)
            Assert.Equal("v2", (string?)(await s.ConfigMapAsync($"keep-{i}"))?["data"]?["value"]);
        subscription.Dispose();
        await recorder;
        lock (deleted)
        {
            // What Git dropped and a process had created is deleted once; nothing else ever is.
            var expected = created.Where(n => n.StartsWith("gone-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, deleted.Order(StringComparer.Ordinal));
            Assert.True(expected.Count > 0, "no process synced the first commit before the second: nothing was there to prune");
            output.WriteLine($"{expected.Count}/{Apps} objects Git dropped had been created, and were pruned once each");
        }
        output.WriteLine($"seed {Seed}: killed {Kills} times, at (ms) {string.Join(", ", killedAfter)}; converged, {clock.Elapsed.TotalSeconds:F1} s in all");
    }

    private static async Task RecordAsync(ObjectStore.Subscription subscription, List<string> created, List<string> deleted)
    {
        try
        {
            await foreach (var e in subscription.Events.ReadAllAsync())
            {
                lock (deleted)
                {
                    if (e.Type == StoreEventType.Added) created.Add(e.Key.Name);
                    if (e.Type == StoreEventType.Deleted) deleted.Add(e.Key.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<HashSet<string>> ConfigMapNamesAsync(Scenario s)
    {
        var list = await s.Fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/configmaps");
        return (list?["items"] as System.Text.Json.Nodes.JsonArray)?.Select(c => (string)c!["metadata"]!["name"]!).ToHashSet(StringComparer.Ordinal) ?? [];
    }
}
