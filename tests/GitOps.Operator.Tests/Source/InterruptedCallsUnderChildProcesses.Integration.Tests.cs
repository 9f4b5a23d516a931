using System.Diagnostics;
using GitOps.Operator.Source;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Source;

/// <summary>
/// libgit2 waits for the server in <c>poll</c> (the server timeout is set), which a signal to its thread
/// interrupts (EINTR): a child process ending (SIGCHLD: renderers, git) is one such signal. An interrupted
/// call is made again; a listing never fails for it, even while thousands of children end.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InterruptedCallsUnderChildProcessesIntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ResolveAsync_WhileChildProcessesEnd_NeverInterrupted()
    {
        await using var ctx = await SourceTestContext.StartAsync(timeouts: new GitSourceTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
        using var stop = new CancellationTokenSource();
        var children = 0;
        var storm = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
                p.WaitForExit();
                Interlocked.Increment(ref children);
            }
        });
        var failures = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                await ctx.Source.ResolveAsync(ctx.Spec(), default);
            }
            catch (SourceException e)
            {
                failures.Add(e.Message);
            }
        }
        await stop.CancelAsync();
        await storm;
        output.WriteLine($"{children} child processes ended meanwhile; {failures.Count} failures: {string.Join("; ", failures.Distinct())}");
        Assert.Empty(failures);
    }
}
