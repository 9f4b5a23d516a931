using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Integration;

[Collection(WebhookCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WebhookTests(WebhookFixture fx, ITestOutputHelper output)
{
    /// <summary>
    /// 20 pushes, each followed by a signed GitHub push webhook; the Application polls Git once an
    /// hour, so each change must arrive through the webhook. Measures push (webhook sent) to
    /// applied (the ConfigMap has the new value) and writes p50 and max to the test output and to
    /// webhook-latency.txt beside the test assembly.
    /// </summary>
    [Fact]
    public async Task Push_ThroughWebhookWithHourlyPoll_AppliedInSeconds()
    {
        using var s = await Scenario.StartAsync(fx.Cluster, "hook");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v0")));
        await s.CreateAppAsync(interval: "1h");
        await s.WaitSyncedAsync(first);

        // Control: without a webhook, a push is not seen (the poll is an hour away).
        await s.PushAsync("unannounced", ("app/cm.yaml", AppYaml.ConfigMap("settings", "silent")));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal("v0", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);

        // Ways a provider may spell the same repository as the Application's repoURL.
        var spellings = new[] { s.Url, s.Url[..^4], s.Url + "/", s.Url.Replace("http://", "HTTP://", StringComparison.Ordinal), s.Url.Replace("http://", "http://user@", StringComparison.Ordinal) };
        var latencies = new List<double>();
        for (var i = 1; i <= 20; i++)
        {
            var value = $"v{i}";
            await s.PushAsync($"change {i}", ("app/cm.yaml", AppYaml.ConfigMap("settings", value)));
            var timer = Stopwatch.StartNew();
            var (status, body) = await fx.PostGitHubPushAsync(spellings[i % spellings.Length]);
            Assert.True(status == 202, $"push {i}: {status} {body}");
            Assert.Contains("1 Applications re-queued", body, StringComparison.Ordinal);
            await Eventually.WaitAsync(async () => (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"] == value,
                TimeSpan.FromSeconds(30), $"push {i} applied");
            latencies.Add(timer.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var p50 = (latencies[9] + latencies[10]) / 2;
        var max = latencies[^1];
        var report = string.Create(CultureInfo.InvariantCulture,
            $"push-to-applied over {latencies.Count} webhook pushes (poll interval 1h): p50 {p50:F0} ms, max {max:F0} ms, min {latencies[0]:F0} ms; all: {string.Join(" ", latencies.Select(l => l.ToString("F0", CultureInfo.InvariantCulture)))}");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "webhook-latency.txt"), report + "\n");
        Assert.True(max < 10_000, report);
    }

    public static TheoryData<string, string?, int> Refused_TestData => new()
    {
        // caseName, secret the sender signs with (null: no signature header), expected status
        { "wrong secret", "guessed", 401 },
        { "no signature", null, 401 },
    };

    [Theory]
    [MemberData(nameof(Refused_TestData))]
    public async Task Post_BadSignatureOverHttp_RefusedAndCounted(string caseName, string? secret, int status)
    {
        var before = await CountAsync("github", "invalid_signature");
        const string body = """{"ref":"refs/heads/main","repository":{"clone_url":"http://127.0.0.1:1/x.git"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fx.Address, "/api/webhook")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        if (secret is not null)
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Operator.Webhooks.WebhookSignatures.Sign(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetBytes(secret)));

        var (got, text) = await fx.SendAsync(request);

        Assert.True(got == status, $"{caseName}: {got} {text}");
        Assert.Equal(before + 1, await CountAsync("github", "invalid_signature"));
    }

    [Fact]
    public async Task Post_OversizeBodyOverHttp_Refused413()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fx.Address, "/api/webhook"))
        {
            Content = new ByteArrayContent(new byte[2 * 1024 * 1024]),
        };
        request.Headers.Add("X-GitHub-Event", "push");

        var (status, _) = await fx.SendAsync(request);

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task Post_GitLabPushWithToken_AppliedAtNewRevision()
    {
        using var s = await Scenario.StartAsync(fx.Cluster, "gitlab");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "one")));
        await s.CreateAppAsync(interval: "1h");
        await s.WaitSyncedAsync(first);
        var second = await s.PushAsync("second", ("app/cm.yaml", AppYaml.ConfigMap("settings", "two")));
        var body = $$$"""{"object_kind":"push","ref":"refs/heads/main","project":{"git_http_url":"{{{s.Url}}}","default_branch":"main"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fx.Address, "/api/webhook")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Gitlab-Event", "Push Hook");
        request.Headers.Add("X-Gitlab-Token", WebhookFixture.GitLabToken);

        var (status, text) = await fx.SendAsync(request);

        Assert.True(status == 202, text);
        await s.WaitSyncedAsync(second);
    }

    [Fact]
    public async Task Post_SharedOperatorWithoutSecret_Refused403()
    {
        // An operator started without --webhook-secret-ref refuses every delivery, even a "signed" one.
        var (app, address) = await fx.Cluster.StartOperatorAsync(Hosting.OperatorOptions.Default with { LeaderElection = false, Namespace = "no-apps-here" });
        try
        {
            const string body = """{"ref":"refs/heads/main","repository":{"clone_url":"http://127.0.0.1:1/x.git"}}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/api/webhook")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-GitHub-Event", "push");
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Operator.Webhooks.WebhookSignatures.Sign(Encoding.UTF8.GetBytes(body), []));

            var (status, text) = await fx.SendAsync(request);

            Assert.True(status == 403, text);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<double> CountAsync(string provider, string result)
    {
        var line = (await fx.ScrapeAsync()).Split('\n')
            .FirstOrDefault(l => l.StartsWith($"gitops_webhook_requests_total{{provider=\"{provider}\",result=\"{result}\"}}", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
