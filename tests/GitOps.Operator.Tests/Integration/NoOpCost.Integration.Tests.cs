using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NoOpCostTests(OperatorFixture fx)
{
    private static readonly string[] Verbs = ["get", "list", "create", "update", "patch", "apply", "delete", "deletecollection"];

    /// <summary>
    /// Requests of a verb, but reads of Secrets: other tests' Applications in this shared API read their
    /// credentials (Git, a remote cluster's kubeconfig) on their own schedule; this Application has none.
    /// </summary>
    private long Count(string verb) =>
        fx.Sandbox!.Requests.Snapshot().Where(kv => kv.Key.Verb == verb && !(verb == "get" && kv.Key.Resource == "secrets")).Sum(kv => kv.Value);

    [Fact]
    public async Task Reconcile_UnchangedApp_MakesNoApiRequest()
    {
        if (fx.Sandbox is null) return; // counts come from the sandbox's request counters
        using var s = await Scenario.StartAsync(fx, "noop");
        var rev = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/d.yaml", AppYaml.Deployment("web", "nginx:1.25")));
        await s.CreateAppAsync(interval: "1s");
        await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, rev) && (string?)a["status"]?["health"]?["status"] == "Healthy", "synced and healthy");

        using var http = new HttpClient();
        async Task<double> ReconcilesAsync()
        {
            var text = await http.GetStringAsync(new Uri(fx.OperatorAddress, "/metrics"));
            return text.Split('\n').Where(l => l.StartsWith("gitops_app_reconcile_duration_seconds_count", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
        // Let the last status write settle, then count every request made while reconciles keep happening.
        await Task.Yield();
        var settledAt = await ReconcilesAsync();
        await Eventually.WaitAsync(async () => await ReconcilesAsync() >= settledAt + 1, TimeSpan.FromSeconds(10), "one more reconcile");
        var before = Verbs.ToDictionary(v => v, Count);
        var start = await ReconcilesAsync();
        await Eventually.WaitAsync(async () => await ReconcilesAsync() >= start + 3, TimeSpan.FromSeconds(15), "three no-op reconciles");
        var made = Verbs.ToDictionary(v => v, v => Count(v) - before[v]);
        Assert.True(made.Values.All(n => n == 0), "requests during no-op reconciles: " + string.Join(", ", made.Select(kv => $"{kv.Key}={kv.Value}")));
    }
}
