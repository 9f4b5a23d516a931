using System.Diagnostics;
using System.Globalization;
using GitOps.Operator.Applications;
using GitOps.Operator.Render;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Render;

/// <summary>A checkout of 100,000 small manifest files, written once (on /dev/shm when there is one) for the tests below.</summary>
public sealed class HundredThousandFilesFixture : IDisposable
{
    public const int Files = 100_000;

    public HundredThousandFilesFixture()
    {
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        Root = Directory.CreateDirectory(Path.Combine(parent, "gitops-100k-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var app = Directory.CreateDirectory(Path.Combine(Root, "app")).FullName;
        for (var i = 0; i < Files; i++)
            File.WriteAllText(Path.Combine(app, $"cm-{i:D6}.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\n");
        var small = Directory.CreateDirectory(Path.Combine(Root, "small")).FullName;
        for (var i = 0; i < 10; i++)
            File.WriteAllText(Path.Combine(small, $"cm-{i}.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\n");
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Resource caps against a checkout of 100,000 files (the cap is 2,000): refused at the cap, without
/// reading any file or listing them all, in memory that does not grow with the checkout.
/// </summary>
public sealed class HundredThousandFilesTests(HundredThousandFilesFixture fx, ITestOutputHelper output) : IClassFixture<HundredThousandFilesFixture>
{
    [Fact]
    public async Task Render_HundredThousandFiles_RefusedAtTheCapWithBoundedAllocation()
    {
        var request = new RenderRequest(fx.Root, "app", new SourceSpecModel { Directory = new DirectorySpec() }, "default", RenderLimits.Default);
        var clock = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        // The refusal comes before the renderer's first await, so all its work is on this thread.
        var render = new DirectoryRenderer().RenderAsync(request, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var e = await Assert.ThrowsAsync<RenderException>(() => render);

        Assert.Contains($"more than the limit of {RenderLimits.Default.MaxFiles} manifest files", e.Message, StringComparison.Ordinal);
        output.WriteLine($"refused in {clock.ElapsedMilliseconds} ms, {allocated / 1024.0 / 1024.0:F1} MiB allocated");
        Assert.True(allocated < 8L * 1024 * 1024, $"{allocated:N0} bytes allocated to refuse: it grows with the checkout");
    }

    /// <summary>`gitops render` in a process of its own: the peak resident set of the refusal against that of a 10-file render.</summary>
    [Fact]
    public async Task RenderCommand_HundredThousandFiles_RefusedPeakMemoryNearASmallRender()
    {
        if (!File.Exists("/usr/bin/time"))
        {
            output.WriteLine("skipped: no GNU time (/usr/bin/time) to read a child's peak resident set with");
            return;
        }

        var (smallExit, smallPeakKiB, _) = await RenderMeasuredAsync("small");
        var (bigExit, bigPeakKiB, bigOutput) = await RenderMeasuredAsync("app");

        Assert.Equal(0, smallExit);
        Assert.Equal(1, bigExit);
        Assert.Contains("more than the limit of 2000 manifest files", bigOutput, StringComparison.Ordinal);
        output.WriteLine($"gitops render, peak RSS: 10 files {smallPeakKiB / 1024.0:F1} MiB; {HundredThousandFilesFixture.Files:N0} files (refused) {bigPeakKiB / 1024.0:F1} MiB");
        Assert.True(bigPeakKiB - smallPeakKiB < 32 * 1024, $"refusing 100,000 files took {(bigPeakKiB - smallPeakKiB) / 1024.0:F1} MiB more than rendering 10");
    }

    private async Task<(int Exit, long PeakKiB, string Output)> RenderMeasuredAsync(string path)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var report = Path.Combine(fx.Root, $"time-{path}.txt");
        // GNU time's %M: the child's maximum resident set size in KiB (getrusage).
        // `gitops render` takes the working directory as the checkout.
        var result = await ProcessRunner.RunAsync("/usr/bin/time", ["-f", "%M", "-o", report, dotnet, Integration.OperatorProcess.OperatorDll, "render", path],
            workingDirectory: fx.Root, timeout: TimeSpan.FromMinutes(2));
        var peak = long.Parse(File.ReadAllLines(report).Last(l => l.Length > 0).Trim(), CultureInfo.InvariantCulture);
        return (result.ExitCode, peak, result.Output);
    }
}
