using System.Text.Json.Nodes;
using GitOps.Operator.Tests.Render;

namespace GitOps.Operator.Tests.Integration;

[Collection(HelmKustomizeCollection.Name)]
[Trait("Category", "Integration")]
public sealed class KustomizeTests(HelmKustomizeOperatorFixture rfx)
{
    private OperatorFixture Fx => rfx.Fx;

    private async Task<List<string>> ConfigMapNamesAsync(string ns) =>
        [.. ((await Fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps"))?["items"] as JsonArray ?? [])
            .Select(i => (string?)i?["metadata"]?["name"]).OfType<string>().Where(n => n.StartsWith("dev-web-config-", StringComparison.Ordinal))];

    [Fact]
    public async Task Push_GeneratorChange_NewConfigMapAppliedWorkloadPointsAtItOldPruned()
    {
        using var s = await Scenario.StartAsync(Fx, "kust");
        var first = await s.PushAsync("overlays", Samples.Overlays.Select(f => (f.Path, (string?)f.Text)).ToArray());
        await s.CreateAppAsync(path: "apps/web/overlays/dev");
        await s.WaitSyncedAsync(first);

        var deployment = await Fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/dev-web");
        Assert.NotNull(deployment);
        Assert.Equal(2, (int?)deployment["spec"]?["replicas"]);
        Assert.Equal("nginx:1.26", (string?)deployment["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]);
        var oldName = Assert.Single(await ConfigMapNamesAsync(s.Namespace));

        var base0 = Samples.Overlays.First(f => f.Path == "apps/web/base/kustomization.yaml").Text;
        var second = await s.PushAsync("new greeting", ("apps/web/base/kustomization.yaml", base0.Replace("GREETING=hello", "GREETING=bye", StringComparison.Ordinal)));
        await s.RefreshAsync();
        await s.WaitSyncedAsync(second);
        await GitOps.Testing.Eventually.WaitAsync(async () => (await ConfigMapNamesAsync(s.Namespace)).Count == 1, TimeSpan.FromSeconds(30), "the old generated ConfigMap pruned");
        var newName = Assert.Single(await ConfigMapNamesAsync(s.Namespace));
        Assert.NotEqual(oldName, newName);
        deployment = await Fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/dev-web");
        Assert.Equal(newName, (string?)deployment?["spec"]?["template"]?["spec"]?["containers"]?[0]?["envFrom"]?[0]?["configMapRef"]?["name"]);
    }

    public static TheoryData<string, string, string> Refused_TestData => new()
    {
        { "resources leave the repo", "resources:\n  - ../../../../../../etc\n", "leaves the repository" },
        { "absolute patch", "resources: []\npatches:\n  - path: /etc/hosts\n", "must be a relative path" },
        { "generator file leaves the repo", "configMapGenerator:\n  - name: c\n    files:\n      - ../../../../../../etc/passwd\n", "leaves the repository" },
        { "remote base", "resources:\n  - https://github.com/org/repo//base?ref=main\n", "remote location" },
        { "build fails", "resources:\n  - missing.yaml\n", "missing.yaml" },
        { "hang", "resources: []\n", "did not finish within" },
        { "flood", "resources: []\n", "output limit" },
    };

    [Theory]
    [MemberData(nameof(Refused_TestData))]
    public async Task Push_BadKustomization_RenderErrorNothingApplied(string caseName, string kustomization, string expected)
    {
        using var s = await Scenario.StartAsync(Fx, "kbad");
        var dir = caseName is "hang" or "flood" ? $"apps/{caseName}" : "apps/bad";
        await s.PushAsync("bad", ($"{dir}/kustomization.yaml", kustomization), ($"{dir}/cm.yaml", AppYaml.ConfigMap("a", "1")));
        await s.CreateAppAsync(path: dir);
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "RenderError"), "RenderError", TimeSpan.FromSeconds(60));
        var message = OperatorFixture.ConditionMessage(app, "RenderError")!;
        Assert.Contains(expected, message);
        Assert.DoesNotContain("/tmp/", message);
        Assert.Null(await s.ConfigMapAsync("a"));
    }

    [Fact]
    public async Task Push_SymlinkOutOfRepo_RenderErrorNothingApplied()
    {
        using var s = await Scenario.StartAsync(Fx, "klink");
        s.Repo.Symlink("apps/link/stolen.yaml", "/etc/hostname");
        await s.PushAsync("link", ("apps/link/kustomization.yaml", "resources:\n  - cm.yaml\n"), ("apps/link/cm.yaml", AppYaml.ConfigMap("a", "1")));
        await s.CreateAppAsync(path: "apps/link");
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "RenderError"), "RenderError");
        Assert.Contains("points outside the repository", OperatorFixture.ConditionMessage(app, "RenderError"));
        Assert.Null(await s.ConfigMapAsync("a"));
    }
}
