using System.Diagnostics;
using GitOps.Operator.Status;
using GitOps.Operator.Tests.Cli;

namespace GitOps.Operator.Tests.Integration;

/// <summary>spec.dependsOn: an Application syncs only once its dependencies are Ready and Healthy, and follows them at once.</summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DependsOnTests(OperatorFixture fx)
{
    private static string DependsOn(params string[] names) =>
        "  dependsOn:\n" + string.Concat(names.Select(n => $"    - name: {n}\n"));

    [Fact]
    public async Task DependsOn_DependencyBrokenThenFixed_DependentWaitsThenFollows()
    {
        var ns = await fx.NewNamespaceAsync();
        var (url, repo) = await fx.NewRepoAsync("depends-" + ns);
        using var _ = repo;
        repo.Write("db/config.yaml", AppYaml.ConfigMap("db", "one"))
            .Write("web/config.yaml", AppYaml.ConfigMap("web", "one"));
        await repo.CommitAndPushAsync("first");

        // The dependency points at a path that is not there yet: it fails to render, the dependent waits.
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "db", url, "db-later", ns, interval: "1h"));
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "web", ns, interval: "1h", extraSpec: DependsOn("db")));
        // Until db's first reconcile web waits for it to be reconciled; db's failure then wakes web (its interval is 1h).
        await fx.WaitAppAsync(ns, "web", a => OperatorFixture.HasCondition(a, Reasons.Reconciling)
            && ApplicationStatus.Of(a).Find(Reasons.Ready) is { Reason: Reasons.DependencyNotReady } ready
            && ready.Message.Contains($"{ns}/db (not Ready: RenderFailed", StringComparison.Ordinal), "web waiting for db, which failed to render");
        Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/web"));

        // `gitops status web` shows the graph with where db stands.
        var shown = await CliRun.RunAsync("status", "web", "-n", ns, "--kubeconfig", fx.KubeconfigPath);
        Assert.True(shown.ExitCode == 0 && shown.Out.Contains($"{ns}/db", StringComparison.Ordinal) && shown.Out.Contains("RenderFailed", StringComparison.Ordinal), shown.ToString());

        repo.Write("db-later/config.yaml", AppYaml.ConfigMap("db", "one"));
        var fixedCommit = await repo.CommitAndPushAsync("db path");
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "db", url, "db-later", ns, interval: "1h", metadataExtra: "  annotations: {gitops.dev/refresh-requested-at: now}"));
        await fx.WaitAppAsync(ns, "db", a => OperatorFixture.IsSyncedAt(a, fixedCommit) && OperatorFixture.HasCondition(a, Reasons.Ready), "db ready");
        var sinceDbReady = Stopwatch.StartNew();
        // The dependent follows on the dependency's status change, not on its own 1h interval.
        await fx.WaitAppAsync(ns, "web", a => OperatorFixture.IsSyncedAt(a, fixedCommit) && OperatorFixture.HasCondition(a, Reasons.Ready), "web follows db");
        Assert.Equal("one", (string?)(await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/web"))?["data"]?["value"]);
        Console.WriteLine($"dependsOn: web synced {sinceDbReady.Elapsed.TotalMilliseconds:0} ms after db was seen Ready");
    }

    // caseName, the apps and their dependencies, the app looked at, the reason, what the message names
    public static TheoryData<string, (string Name, string[] DependsOn)[], string, string, string> Broken_TestData() => new()
    {
        { "a cycle of two", [("a", ["b"]), ("b", ["a"])], "a", Reasons.DependencyCycle, "/a -> " },
        { "a cycle of three", [("a", ["b"]), ("b", ["c"]), ("c", ["a"])], "b", Reasons.DependencyCycle, "/c -> " },
        { "a missing dependency", [("a", ["nope"])], "a", Reasons.DependencyMissing, "/nope" },
    };

    [Theory]
    [MemberData(nameof(Broken_TestData))]
    public async Task DependsOn_CycleOrMissing_ConditionNamesThem(string caseName, (string Name, string[] DependsOn)[] apps, string looked, string reason, string names)
    {
        var ns = await fx.NewNamespaceAsync();
        var (url, repo) = await fx.NewRepoAsync("depends-broken-" + ns);
        using var _ = repo;
        repo.Write("app/config.yaml", AppYaml.ConfigMap("cfg", "one"));
        await repo.CommitAndPushAsync("first");
        foreach (var (name, dependsOn) in apps)
            await fx.ApplyYamlAsync(AppYaml.Automated(ns, name, url, "app", ns, interval: "1h", extraSpec: DependsOn(dependsOn)));

        var app = await fx.WaitAppAsync(ns, looked, a => ApplicationStatus.Of(a).Find(Reasons.DependencyError)?.Reason == reason, $"{caseName}: {reason}");
        var message = OperatorFixture.ConditionMessage(app, Reasons.DependencyError) ?? "";
        Assert.True(message.Contains(names, StringComparison.Ordinal) && !OperatorFixture.HasCondition(app, Reasons.Ready), $"{caseName}: {message}");
        Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/cfg"));
    }
}
