using GitOps.Operator.Tests.Render;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

[Collection(HelmKustomizeCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HelmTests(HelmKustomizeOperatorFixture rfx)
{
    private OperatorFixture Fx => rfx.Fx;

    [Theory]
    [InlineData("dev", "values-dev.yaml", "2")]
    [InlineData("prod", "values-prod.yaml", "4")]
    public async Task Push_ChartWithEnvValues_RenderedWithFileAndInlineValues(string caseName, string valuesFile, string replicas)
    {
        using var s = await Scenario.StartAsync(Fx, "helm" + caseName);
        var rev = await s.PushAsync("chart", Samples.Chart("charts/web").Select(f => (f.Path, (string?)f.Text)).ToArray());
        await s.CreateAppAsync(name: "web", path: "charts/web", extraSpec: $"    helm:\n      valueFiles: [{valuesFile}]\n      values: \"greeting: hi-{caseName}\"");
        await s.WaitSyncedAsync(rev);
        var cm = await s.ConfigMapAsync("web-settings");
        Assert.Equal(caseName, (string?)cm?["data"]?["env"]);
        Assert.Equal(replicas, (string?)cm?["data"]?["replicas"]);
        Assert.Equal($"hi-{caseName}", (string?)cm?["data"]?["greeting"]);
    }

    [Fact]
    public async Task Push_TemplateFails_RenderErrorNothingApplied()
    {
        using var s = await Scenario.StartAsync(Fx, "helmbad");
        var files = Samples.Chart("charts/web").Select(f => (f.Path, (string?)f.Text)).Append(("charts/web/templates/bad.yaml", "{{ required \"image.tag is required\" .Values.image.tag }}\n")).ToArray();
        await s.PushAsync("bad chart", files);
        await s.CreateAppAsync(name: "web", path: "charts/web");
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "RenderError"), "RenderError");
        var message = OperatorFixture.ConditionMessage(app, "RenderError")!;
        Assert.Contains("bad.yaml", message);
        Assert.DoesNotContain("/tmp/", message);
        Assert.Null(await s.ConfigMapAsync("web-settings"));
    }

    [Theory]
    [InlineData("valueFiles leave the repo", "../../../../../../etc/passwd", "leaves the repository")]
    [InlineData("valueFiles absolute", "/etc/passwd", "must be a relative path")]
    public async Task Push_ValueFileOutsideRepo_RenderError(string caseName, string valuesFile, string expected)
    {
        _ = caseName;
        using var s = await Scenario.StartAsync(Fx, "helmpath");
        await s.PushAsync("chart", Samples.Chart("charts/web").Select(f => (f.Path, (string?)f.Text)).ToArray());
        await s.CreateAppAsync(name: "web", path: "charts/web", extraSpec: $"    helm:\n      valueFiles: [\"{valuesFile}\"]");
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "RenderError"), "RenderError");
        Assert.Contains(expected, OperatorFixture.ConditionMessage(app, "RenderError"));
    }

    [Fact]
    public async Task ChangeVersion_ChartFromHelmRepository_Upgraded()
    {
        await using var repo = await HelmRepoServer.StartAsync();
        await UpgradedByVersionAsync(repo.BaseUrl, repo.PublishAsync, "    helm:\n      valueFiles: [values-prod.yaml]", "prod");
    }

    [Fact]
    public async Task ChangeVersion_ChartFromOciRegistry_Upgraded()
    {
        await using var registry = await OciRegistryServer.StartAsync();
        await UpgradedByVersionAsync($"oci://{registry.Host}/charts", dir => registry.PushChartAsync("charts", dir), "", "none");
    }

    /// <summary>
    /// Publishes the sample chart at 0.1.0 and 0.2.0, syncs an Application of it at 0.1.0, then moves
    /// targetRevision to the range ~0.2 and waits for 0.2.0 to be applied.
    /// </summary>
    private async Task UpgradedByVersionAsync(string repoUrl, Func<string, Task> publish, string sourceExtra, string expectedEnv)
    {
        var work = Directory.CreateTempSubdirectory("gitops-chart-src-").FullName;
        foreach (var version in new[] { "0.1.0", "0.2.0" })
        {
            foreach (var (path, text) in Samples.Chart($"{version}/web", version, "built-" + version))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
                await File.WriteAllTextAsync(Path.Combine(work, path), text);
            }
            await publish(Path.Combine(work, version, "web"));
        }
        var ns = await Fx.NewNamespaceAsync("chartver");
        string App(string version) => ChartApp(ns, "web", repoUrl, "web", version, sourceExtra);

        await Fx.ApplyYamlAsync(App("0.1.0"));
        await Fx.WaitAppAsync(ns, "web", a => OperatorFixture.IsSyncedAt(a, "0.1.0"), "synced at 0.1.0");
        Assert.Equal("built-0.1.0", (string?)(await Fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/web-settings"))?["data"]?["built"]);

        await Fx.ApplyYamlAsync(App("~0.2"));
        await Fx.WaitAppAsync(ns, "web", a => OperatorFixture.IsSyncedAt(a, "0.2.0"), "synced at 0.2.0");
        var cm = await Fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/web-settings");
        Assert.Equal("0.2.0", (string?)cm?["data"]?["chartVersion"]);
        Assert.Equal(expectedEnv, (string?)cm?["data"]?["env"]);
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task ChartWithDependencies_SameRepositoryFetched_OtherRefusedWithRenderError()
    {
        await using var repo = await HelmRepoServer.StartAsync();
        var work = Directory.CreateTempSubdirectory("gitops-chart-deps-").FullName;
        void Write(string path, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
            File.WriteAllText(Path.Combine(work, path), text);
        }
        Write("common/Chart.yaml", "apiVersion: v2\nname: common\nversion: 1.2.0\n");
        Write("common/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-common\ndata:\n  from: dependency\n");
        await repo.PublishAsync(Path.Combine(work, "common"));
        foreach (var (version, repository) in new[] { ("0.1.0", repo.BaseUrl), ("0.2.0", "https://charts.example.com/stable") })
        {
            Write($"{version}/stack/Chart.yaml", $"apiVersion: v2\nname: stack\nversion: {version}\ndependencies:\n  - name: common\n    version: ~1.2.0\n    repository: {repository}\n");
            Write($"{version}/stack/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-stack\ndata:\n  version: {{ .Chart.Version | quote }}\n");
            await repo.PublishUnvendoredAsync(Path.Combine(work, version, "stack"), version);
        }
        var ns = await Fx.NewNamespaceAsync("helmdeps");
        string App(string version) => ChartApp(ns, "stack", repo.BaseUrl, "stack", version);

        await Fx.ApplyYamlAsync(App("0.1.0"));
        await Fx.WaitAppAsync(ns, "stack", a => OperatorFixture.IsSyncedAt(a, "0.1.0"), "synced at 0.1.0");
        Assert.Equal("dependency", (string?)(await Fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/stack-common"))?["data"]?["from"]);

        await Fx.ApplyYamlAsync(App("0.2.0"));
        var app = await Fx.WaitAppAsync(ns, "stack", a => OperatorFixture.HasCondition(a, "RenderError"), "RenderError for 0.2.0");
        Assert.Contains("dependency \"common\" comes from https://charts.example.com/stable", OperatorFixture.ConditionMessage(app, "RenderError"));
        Assert.Equal("0.1.0", (string?)(await Fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/stack-stack"))?["data"]?["version"]);
        Assert.NotNull(await Fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/stack-common"));
        Directory.Delete(work, recursive: true);
    }

    /// <summary>An automated Application of a chart from a Helm repository or OCI registry.</summary>
    private static string ChartApp(string ns, string name, string repoUrl, string chart, string version, string sourceExtra = "") => $$"""
        apiVersion: gitops.dev/v1alpha1
        kind: Application
        metadata:
          name: {{name}}
          namespace: {{ns}}
        spec:
          source:
            repoURL: {{repoUrl}}
            chart: {{chart}}
            targetRevision: "{{version}}"
        {{sourceExtra}}
          destination:
            namespace: {{ns}}
          syncPolicy:
            automated: { prune: true, selfHeal: true }
          interval: 3m
        """;
}
