using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CascadeTests(OperatorFixture fx)
{
    [Fact]
    public async Task DeleteApp_WithCascadeFinalizer_ManagedObjectsDeleted()
    {
        using var s = await Scenario.StartAsync(fx, "cascade");
        var rev = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/d.yaml", AppYaml.Deployment("web", "nginx:1.25")));
        await s.CreateAppAsync(metadataExtra: "  finalizers: [gitops.dev/cascade]");
        await s.WaitSyncedAsync(rev);

        await fx.KubectlOkAsync("delete", "-n", s.Namespace, "applications.gitops.dev/app", "--wait=false");
        await Eventually.WaitAsync(async () => await fx.GetAppAsync(s.Namespace, "app") is null, TimeSpan.FromSeconds(20), "app gone");
        Assert.Null(await s.ConfigMapAsync("a"));
        await Eventually.WaitAsync(async () => await fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/web") is null, TimeSpan.FromSeconds(10), "deployment gone");
    }

    [Fact]
    public async Task DeleteApp_WithoutFinalizer_ManagedObjectsStay()
    {
        using var s = await Scenario.StartAsync(fx, "nocascade");
        var rev = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(rev);

        await fx.KubectlOkAsync("delete", "-n", s.Namespace, "applications.gitops.dev/app");
        await Eventually.WaitAsync(async () => await fx.GetAppAsync(s.Namespace, "app") is null, TimeSpan.FromSeconds(20), "app gone");
        Assert.NotNull(await s.ConfigMapAsync("a"));
    }
}
