using System.Text.Json.Nodes;

namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FirstSyncTests(OperatorFixture fx)
{
    [Fact]
    public async Task FirstSync_PlainYamlDirectory_AppliedSyncedAndHealthy()
    {
        var ns = await fx.NewNamespaceAsync();
        var (url, repo) = await fx.NewRepoAsync("first-" + ns);
        using var _ = repo;
        repo.Write("apps/web/config.yaml", AppYaml.ConfigMap("web-config", "one"))
            .Write("apps/web/deploy.yaml", AppYaml.Deployment("web", "nginx:1.25"));
        var commit = await repo.CommitAndPushAsync("first");

        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "apps/web", ns));
        JsonObject app;
        try
        {
            app = await fx.WaitAppAsync(ns, "web",
                a => OperatorFixture.IsSyncedAt(a, commit) && (string?)a["status"]?["health"]?["status"] == "Healthy", "synced and healthy");
        }
        catch (TimeoutException e)
        {
            var d = await fx.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web");
            throw new TimeoutException(e.Message + "\nDEPLOYMENT: " + d?.ToJsonString(), e);
        }

        var cm = await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/web-config");
        Assert.Equal("one", (string?)cm?["data"]?["value"]);
        Assert.Equal("gitops-operator", (string?)cm?["metadata"]?["labels"]?["gitops.dev/managed-by"]);
        Assert.Equal($"{ns}/web:/ConfigMap:{ns}/web-config", (string?)cm?["metadata"]?["annotations"]?["gitops.dev/tracking-id"]);
        var inventory = (app["status"]!["inventory"] as JsonArray)!.Select(e => (string?)e).ToList();
        Assert.Contains($"/ConfigMap/{ns}/web-config", inventory);
        Assert.Contains($"apps/Deployment/{ns}/web", inventory);
        Assert.True(OperatorFixture.HasCondition(app, "Ready"));
    }
}
