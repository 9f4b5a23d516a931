using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SmokeTests(ApiTarget target)
{
    [Fact]
    public async Task CreateGetConfigMap_WithKubernetesClient_RoundTrips()
    {
        var ns = await target.NewNamespaceAsync();
        var created = await target.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "smoke" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, ns);
        var read = await target.Client.CoreV1.ReadNamespacedConfigMapAsync("smoke", ns);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("v", read.Data["k"]);
    }

    [Fact]
    public async Task ApiResources_WithKubectl_ListsBuiltinKinds()
    {
        var output = await Kubectl.OkAsync(target, "api-resources");
        foreach (var kind in new[] { "ConfigMap", "Deployment", "CustomResourceDefinition", "Lease", "PodDisruptionBudget", "HorizontalPodAutoscaler" })
            Assert.Contains(kind, output);
    }
}
