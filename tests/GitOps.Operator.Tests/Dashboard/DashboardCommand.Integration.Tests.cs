using System.CommandLine;
using System.Net;
using System.Text.RegularExpressions;
using GitOps.Operator.Cli;
using GitOps.Testing;
using GitOps.Testing.Dashboard;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>Issue 17: `gitops dashboard` on this machine, acting as the kubeconfig's user (bob: read-only).</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DashboardCommandIntegrationTests(DashboardWorld world)
{
    private static string Read(StringWriter writer)
    {
        lock (writer) return writer.ToString();
    }

    [Fact]
    public async Task Dashboard_BobsKubeconfig_ServesHisViewOnLoopbackOnly()
    {
        var kubeconfig = world.Sandbox.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"bob-{Guid.NewGuid():N}.kubeconfig"), "bob", ["devs"]);
        var written = new StringWriter();
        var output = TextWriter.Synchronized(written);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = GitOpsCommandLine.Build().Parse(["dashboard", "--kubeconfig", kubeconfig, "--port", "0", "-A"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cts.Token);
        try
        {
            string address;
            try
            {
                address = await Eventually.WaitAsync(() => Task.FromResult(
                    Regex.Match(Read(written), @"at (http://localhost:\d+)/") is { Success: true } m ? m.Groups[1].Value : null), TimeSpan.FromSeconds(60), "the dashboard's address");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; the command wrote: {Read(written)}; finished: {run.IsCompleted}", e);
            }
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            var list = await client.GetStringAsync("/");
            var app = await client.GetStringAsync($"/ui/apps/{DashboardWorld.NamespaceA}/web");
            using var rebound = new HttpRequestMessage(HttpMethod.Get, "/");
            rebound.Headers.Host = "evil.example.com";
            var refused = await client.SendAsync(rebound);

            Assert.Contains("signed in as <b>bob</b>", list, StringComparison.Ordinal);
            Assert.Contains($"id=\"app:{DashboardWorld.NamespaceB}/api\"", list, StringComparison.Ordinal);
            Assert.DoesNotContain("Sign out", list, StringComparison.Ordinal);
            Assert.Contains($"data-key=\"Deployment/{DashboardWorld.NamespaceA}/web\"", app, StringComparison.Ordinal);
            Assert.DoesNotContain("action-", app, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
        }
        finally
        {
            await cts.CancelAsync();
            Assert.Equal(0, await run);
            File.Delete(kubeconfig);
        }
    }
}
