using System.Net;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Spec and status writes kept apart (API conventions "Spec and Status"), and dry runs.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StatusSubresourceTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    [Fact]
    public async Task ReplaceMain_WithStatus_IgnoresStatus()
    {
        var ns = await target.NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Conform.Deployment("d1"), ns);
        created.Status = new V1DeploymentStatus { ObservedGeneration = 42, Replicas = 42 };
        created.Metadata.ResourceVersion = null;
        var replaced = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "d1", ns);
        Assert.NotEqual(42, replaced.Status?.ObservedGeneration);
        Assert.NotEqual(42, replaced.Status?.Replicas);
    }

    [Fact]
    public async Task PatchStatus_WithSpec_IgnoresSpec()
    {
        var ns = await target.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Conform.Deployment("d2"), ns);
        var patched = await Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"spec":{"replicas":7},"status":{"conditions":[{"type":"Conformance","status":"True"}]}}""", V1Patch.PatchType.MergePatch), "d2", ns);
        Assert.Equal(1, patched.Spec.Replicas);
        Assert.Equal(1, patched.Metadata.Generation);
        Assert.Contains(patched.Status!.Conditions!, c => c.Type == "Conformance");
    }

    [Fact]
    public async Task Apply_WithDryRunAll_ReturnsTheObjectWithoutStoringIt()
    {
        var ns = await target.NewNamespaceAsync();
        var before = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        const string yaml = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry"},"data":{"k":"v"}}""";
        var dry = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(yaml, V1Patch.PatchType.ApplyPatch), "dry", ns, dryRun: "All", fieldManager: "conformance");
        Assert.Equal("v", dry.Data["k"]);
        Assert.Equal(ns, dry.Metadata.NamespaceProperty);
        Assert.NotNull(dry.Metadata.CreationTimestamp);
        Assert.Contains(dry.Metadata.ManagedFields, m => m.Manager == "conformance");
        await Conform.FailsAsync(HttpStatusCode.NotFound, () => Client.CoreV1.ReadNamespacedConfigMapAsync("dry", ns));

        // On an existing object: the would-be result comes back, the stored one stays as it was.
        var real = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(yaml, V1Patch.PatchType.ApplyPatch), "dry", ns, fieldManager: "conformance");
        var changed = yaml.Replace("\"v\"", "\"changed\"", StringComparison.Ordinal);
        var dry2 = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(changed, V1Patch.PatchType.ApplyPatch), "dry", ns, dryRun: "All", fieldManager: "conformance");
        Assert.Equal("changed", dry2.Data["k"]);
        var after = await Client.CoreV1.ReadNamespacedConfigMapAsync("dry", ns);
        Assert.Equal("v", after.Data["k"]);
        Assert.Equal(real.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.True(Conform.Rv(real) > long.Parse(before.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Create_WithDryRunAll_StoresNothing()
    {
        var ns = await target.NewNamespaceAsync();
        var dry = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("dry-create"), ns, dryRun: "All");
        Assert.Equal("dry-create", dry.Metadata.Name);
        Assert.Empty(await Conform.ConfigMapNamesAsync(target, ns));
    }
}
