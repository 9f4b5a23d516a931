using System.Globalization;
using System.Text;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Integration;

[Collection(WebhookCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MetricsTests(WebhookFixture fx, ITestOutputHelper output)
{
    private static readonly string[] Required =
    [
        "gitops_app_info", "gitops_app_reconcile_duration_seconds", "gitops_app_sync_total", "gitops_app_drifted_resources",
        "gitops_app_drift_healed_total", "gitops_app_drift_held_resources", "gitops_source_fetch_duration_seconds",
        "gitops_source_fetch_errors_total", "gitops_render_duration_seconds", "gitops_workqueue_depth",
        "gitops_workqueue_latency_seconds", "gitops_kube_requests_total", "gitops_webhook_requests_total", "gitops_leader",
    ];

    [Fact]
    public async Task Scrape_RunningOperator_PassesPromtoolCheckMetricsAndHasEveryMetric()
    {
        using var s = await Scenario.StartAsync(fx.Cluster, "scrape");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);
        await fx.PostGitHubPushAsync(s.Url, secret: "wrong");
        await fx.Cluster.ApplyYamlAsync(AppYaml.Automated(s.Namespace, "broken", "http://127.0.0.1:1/nothing.git", "app", s.Namespace, interval: "1h"));
        await s.WaitAsync(_ => true, "app exists");
        await Eventually.WaitAsync(async () => (await fx.ScrapeAsync()).Contains("gitops_source_fetch_errors_total{", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "a fetch error counted");

        var text = await fx.ScrapeAsync();
        var check = await ProcessRunner.RunAsync(ToolPaths.Promtool, ["check", "metrics"], stdin: text);

        Assert.True(check.ExitCode == 0, $"promtool check metrics: {check}");
        Assert.All(Required, m => Assert.Contains($"\n{m}", "\n" + text, StringComparison.Ordinal));
        Assert.Contains($"gitops_app_info{{namespace=\"{s.Namespace}\",name=\"app\"", text, StringComparison.Ordinal);
        Assert.Contains("gitops_leader 1", text, StringComparison.Ordinal);
        Assert.Matches("gitops_kube_requests_total\\{verb=\"patch\",resource=\"configmaps\",code=\"20[01]\"\\} [1-9]", text);
        Assert.DoesNotContain(first, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookFixture.SecretValue, text, StringComparison.Ordinal);
    }

    public static TheoryData<string, bool, string> Drift_TestData => new()
    {
        // caseName, selfHeal, drifted resources reported once the edit has been seen
        { "self-heal off: drift stays and is reported", false, "1" },
        { "self-heal on: drift healed, counted, none reported", true, "0" },
    };

    [Theory]
    [MemberData(nameof(Drift_TestData))]
    public async Task Scrape_LiveObjectEdited_DriftGaugeAndHealCounter(string caseName, bool selfHeal, string drifted)
    {
        using var s = await Scenario.StartAsync(fx.Cluster, "drift");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "git")));
        await s.CreateAppAsync(selfHeal: selfHeal, interval: "1h");
        await s.WaitSyncedAsync(first);
        var labels = $"{{namespace=\"{s.Namespace}\",name=\"app\"}}";
        var driftLabels = $"{{namespace=\"{s.Namespace}\",name=\"app\",cluster=\"in-cluster\"}}";

        await fx.Cluster.KubectlOkAsync("patch", "-n", s.Namespace, "configmap/settings", "--type=merge", "-p", """{"data":{"value":"hand-edited"}}""");

        await Eventually.WaitAsync(async () =>
        {
            var text = await fx.ScrapeAsync();
            var healed = selfHeal ? text.Contains($"gitops_app_drift_healed_total{labels} 1", StringComparison.Ordinal) : (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"] == "hand-edited";
            return healed && text.Contains($"gitops_app_drifted_resources{driftLabels} {drifted}\n", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(45), caseName);
    }

    [Fact]
    public async Task Scrape_ApplicationDeleted_ItsSeriesDisappear()
    {
        using var s = await Scenario.StartAsync(fx.Cluster, "gone");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync(name: "doomed");
        await s.WaitSyncedAsync(first);
        var series = $"namespace=\"{s.Namespace}\",name=\"doomed\"";
        await Eventually.WaitAsync(async () => (await fx.ScrapeAsync()).Contains(series, StringComparison.Ordinal), TimeSpan.FromSeconds(10), "series present");

        await fx.Cluster.KubectlOkAsync("delete", "-n", s.Namespace, "applications.gitops.dev/doomed", "--wait=true");

        await Eventually.WaitAsync(async () => !(await fx.ScrapeAsync()).Contains(series, StringComparison.Ordinal), TimeSpan.FromSeconds(15), "series removed");
    }

    [Fact]
    public async Task Scrape_HundredApplications_SizeMeasuredAndValid()
    {
        const int count = 100;
        using var s = await Scenario.StartAsync(fx.Cluster, "hundred");
        var files = Enumerable.Range(0, count).Select(i => ($"apps/a{i:D3}/cm.yaml", (string?)AppYaml.ConfigMap($"cm-{i:D3}", "v1"))).ToArray();
        var revision = await s.PushAsync("hundred apps", files);
        var yaml = new StringBuilder();
        for (var i = 0; i < count; i++)
            yaml.Append(AppYaml.Automated(s.Namespace, $"a{i:D3}", s.Url, $"apps/a{i:D3}", s.Namespace, interval: "1h")).Append("\n---\n");
        var before = (await fx.ScrapeAsync()).Length;

        await fx.Cluster.ApplyYamlAsync(yaml.ToString());
        await Eventually.WaitAsync(async () =>
            (await fx.ScrapeAsync()).Split('\n').Count(l => l.StartsWith($"gitops_app_info{{namespace=\"{s.Namespace}\"", StringComparison.Ordinal) && l.Contains("sync_status=\"Synced\"", StringComparison.Ordinal)) == count,
            TimeSpan.FromMinutes(4), $"{count} apps Synced at {revision[..8]}");

        var text = await fx.ScrapeAsync();
        var ours = text.Split('\n').Where(l => l.Contains($"namespace=\"{s.Namespace}\"", StringComparison.Ordinal)).ToList();
        var report = string.Create(CultureInfo.InvariantCulture,
            $"/metrics at {count} Applications: {Encoding.UTF8.GetByteCount(text)} bytes, {text.Split('\n').Length} lines in all; the {count} apps' own series: {ours.Count} lines, {ours.Sum(l => l.Length + 1)} bytes ({ours.Sum(l => l.Length + 1) / count} bytes per app); before them: {before} bytes");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "metrics-scrape-size.txt"), report + "\n");
        var check = await ProcessRunner.RunAsync(ToolPaths.Promtool, ["check", "metrics"], stdin: text);
        Assert.True(check.ExitCode == 0, $"promtool check metrics: {check}");
    }
}
