using System.Text.Json.Nodes;
using GitOps.Loop.Bench;

namespace GitOps.Operator.Tests.Bench;

/// <summary>
/// Runs the loop benchmark's --quick mode (about 30 apps, the sandbox and the operator as child
/// processes) so the benchmark cannot rot. It asserts only that the run completes and writes its
/// files: performance is reported by the benchmark, never asserted by a test.
/// </summary>
[Trait("Category", "Integration")]
public sealed class QuickBenchTests
{
    [Fact]
    public async Task RunAsync_Quick_CompletesAndWritesResultsJsonAndSummary()
    {
        var output = Directory.CreateTempSubdirectory("gitops-quick-bench-").FullName;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var log = new StringWriter();
            var options = BenchOptions.Parse(["--quick", "--out", output]);

            var result = await LoopBench.RunAsync(options, TextWriter.Synchronized(log), deadline.Token);

            Assert.True(File.Exists(result.JsonPath), log.ToString());
            Assert.True(File.Exists(result.MarkdownPath), log.ToString());
            var json = JsonNode.Parse(await File.ReadAllTextAsync(result.JsonPath))!;
            Assert.Equal(options.Apps, (int?)json["parameters"]?["apps"]);
            Assert.NotNull(json["coldSync"]?["seconds"]);
            Assert.Contains("| figure | target | measured |", await File.ReadAllTextAsync(result.MarkdownPath), StringComparison.Ordinal);
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); } catch (IOException) { }
        }
    }
}
