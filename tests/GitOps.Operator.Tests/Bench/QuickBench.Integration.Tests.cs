using System.Text.Json.Nodes;
using GitOps.Loop.Bench;

namespace GitOps.Operator.Tests.Bench;

/// <summary>
/// Runs the loop benchmark's --quick mode (about 30 apps, the sandboxes and the operator as child
/// processes) so the benchmark cannot rot: on the operator's own cluster, and spread over two clusters
/// (--clusters 2: a second sandbox registered as a cluster). It asserts only that the run completes, every
/// app synced and every drift healed in every cluster, and that it writes its files: performance is
/// reported by the benchmark, never asserted by a test.
/// </summary>
[Trait("Category", "Integration")]
public sealed class QuickBenchTests
{
    public static TheoryData<string, string[], int> RunAsync_Quick_TestData => new()
    {
        { "one cluster", [], 1 },
        { "two clusters", ["--clusters", "2"], 2 },
    };

    [Theory]
    [MemberData(nameof(RunAsync_Quick_TestData))]
    public async Task RunAsync_Quick_CompletesAndWritesResultsJsonAndSummary(string caseName, string[] extraArgs, int clusters)
    {
        var output = Directory.CreateTempSubdirectory("gitops-quick-bench-").FullName;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var log = new StringWriter();
            var options = BenchOptions.Parse(["--quick", "--out", output, .. extraArgs]);

            var result = await LoopBench.RunAsync(options, TextWriter.Synchronized(log), deadline.Token);

            Assert.True(File.Exists(result.JsonPath), $"{caseName}: {log}");
            Assert.True(File.Exists(result.MarkdownPath), $"{caseName}: {log}");
            var json = JsonNode.Parse(await File.ReadAllTextAsync(result.JsonPath))!;
            Assert.Equal(options.Apps, (int?)json["parameters"]?["apps"]);
            Assert.Equal(clusters, (int?)json["parameters"]?["clusters"]);
            Assert.NotNull(json["coldSync"]?["seconds"]);
            var byCluster = json["coldSync"]?["byCluster"]?.AsObject();
            Assert.Equal(clusters, byCluster?.Count);
            Assert.All(byCluster!, c => Assert.Equal(0, (int?)c.Value?["notSynced"]));
            Assert.All(json["drift"]!["healByCluster"]!.AsObject(), c => Assert.Equal(0, (int?)c.Value?["missing"]));
            Assert.Contains("| figure | target | measured |", await File.ReadAllTextAsync(result.MarkdownPath), StringComparison.Ordinal);
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); } catch (IOException) { }
        }
    }
}
