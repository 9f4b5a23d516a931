using System.Diagnostics;
using GitOps.Testing.Dashboard;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>Issue 17: the Applications page with 1,000 Applications, measured (a figure, not a timed assertion).</summary>
public sealed class DashboardRenderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task List_1000Apps_RenderedWithEveryRowAndCounts()
    {
        await using var dashboard = await InMemoryDashboard.StartAsync(1000);
        using var client = new HttpClient { BaseAddress = new Uri(dashboard.Address) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", "t");

        await client.GetStringAsync("/"); // warm-up: JIT
        var times = new List<double>();
        string html = "";
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            html = await client.GetStringAsync("/");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();

        Assert.Equal(1000, html.Split("<tr id=\"app:").Length - 1);
        Assert.Contains("data-count=\"total\">1000<", html, StringComparison.Ordinal);
        Assert.Contains("data-count=\"Failing\">40<", html, StringComparison.Ordinal);
        output.WriteLine($"1,000 Applications: the page (server side, {html.Length / 1024} KiB) in {times[2]:0} ms median of 5 (min {times[0]:0}, max {times[4]:0})");
    }
}
