using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeleteTests(ApiTarget target)
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        """;

    private async Task<(string Ns, string ReplicaSet)> DeploymentWithReplicaSetAsync()
    {
        var ns = await target.NewNamespaceAsync("del");
        await Kubectl.OkWithInputAsync(target, Deployment, "apply", "-n", ns, "-f", "-");
        var rs = await Eventually.WaitAsync(async () =>
        {
            var name = (await Kubectl.OkAsync(target, "get", "-n", ns, "replicasets", "-l", "app=web", "-o", "name")).Trim();
            return name.Length > 0 ? name : null;
        }, what: "the Deployment's ReplicaSet");
        return (ns, rs);
    }

    [Fact]
    public async Task Delete_Object_RemovesIt()
    {
        var ns = await target.NewNamespaceAsync("del");
        await Kubectl.OkWithInputAsync(target, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "apply", "-n", ns, "-f", "-");

        var output = await Kubectl.OkAsync(target, "delete", "-n", ns, "configmap/c");

        Assert.Contains("configmap \"c\" deleted", output);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "configmap/c"));
        var again = await Kubectl.RunAsync(target, "delete", "-n", ns, "configmap/c");
        Assert.Contains("Error from server (NotFound): configmaps \"c\" not found", again.StdErr);
        Assert.Equal(0, (await Kubectl.RunAsync(target, "delete", "-n", ns, "configmap/c", "--ignore-not-found")).ExitCode);
    }

    [Fact]
    public async Task Delete_ByLabel_RemovesOnlyMatching()
    {
        var ns = await target.NewNamespaceAsync("del");
        await Kubectl.OkWithInputAsync(target, """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, labels: {env: test}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b, labels: {env: test}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: keep, labels: {env: prod}}
            """, "apply", "-n", ns, "-f", "-");

        var output = await Kubectl.OkAsync(target, "delete", "-n", ns, "configmaps", "-l", "env=test");

        Assert.Contains("configmap \"a\" deleted", output);
        Assert.Contains("configmap \"b\" deleted", output);
        var left = await Kubectl.OkAsync(target, "get", "-n", ns, "configmaps", "-o", "name");
        Assert.Equal(["configmap/keep"], KubectlKit.WithoutClusterConfigMaps(left, target.ClusterConfigMapsIn(ns)));
    }

    [Fact]
    public async Task DeleteAll_WithDryRunServer_KeepsObjects()
    {
        var ns = await target.NewNamespaceAsync("del");
        await Kubectl.OkWithInputAsync(target, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "apply", "-n", ns, "-f", "-");

        var output = await Kubectl.OkAsync(target, "delete", "-n", ns, "configmaps", "--all", "--dry-run=server");

        Assert.Matches("configmap \"c\" deleted (from .* namespace )?\\(server dry run\\)", output);
        Assert.True(await KubectlKit.ExistsAsync(target, ns, "configmap/c"));
    }

    [Fact]
    public async Task DeleteCascadeBackground_Deployment_GarbageCollectsReplicaSet()
    {
        var (ns, rs) = await DeploymentWithReplicaSetAsync();

        await Kubectl.OkAsync(target, "delete", "-n", ns, "deployment/web", "--cascade=background");

        Assert.False(await KubectlKit.ExistsAsync(target, ns, "deployment/web"));
        await Eventually.WaitAsync(async () => !await KubectlKit.ExistsAsync(target, ns, rs), what: "ReplicaSet collected");
    }

    [Fact]
    public async Task DeleteCascadeForeground_Deployment_DeletesReplicaSetFirst()
    {
        var (ns, rs) = await DeploymentWithReplicaSetAsync();
        await using var watch = new BackgroundKubectl(target, "get", "-n", ns, "deployment/web", "-w", "-o",
            "jsonpath={.metadata.deletionTimestamp}|{.metadata.finalizers}{\"\\n\"}");
        await watch.WaitForLineAsync(l => l.StartsWith('|'), "initial state");

        await Kubectl.OkAsync(target, "delete", "-n", ns, "deployment/web", "--cascade=foreground", "--timeout=20s");

        Assert.False(await KubectlKit.ExistsAsync(target, ns, rs));
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "deployment/web"));
        await watch.WaitForLineAsync(l => l.Contains("foregroundDeletion"), "Deployment seen with the foregroundDeletion finalizer");
    }

    [Fact]
    public async Task DeleteCascadeOrphan_Deployment_KeepsReplicaSetWithoutOwner()
    {
        var (ns, rs) = await DeploymentWithReplicaSetAsync();

        await Kubectl.OkAsync(target, "delete", "-n", ns, "deployment/web", "--cascade=orphan");

        Assert.False(await KubectlKit.ExistsAsync(target, ns, "deployment/web"));
        await Eventually.WaitAsync(async () =>
        {
            var owners = await Kubectl.OkAsync(target, "get", "-n", ns, rs, "-o", "jsonpath={.metadata.ownerReferences}");
            return owners.Trim().Length == 0;
        }, what: "orphaned ReplicaSet without ownerReferences");
        Assert.True(await KubectlKit.ExistsAsync(target, ns, rs));
    }

    [Fact]
    public async Task DeleteNamespace_WithContent_EmptiesThenRemovesNamespace()
    {
        var ns = await target.NewNamespaceAsync("delns");
        await Kubectl.OkWithInputAsync(target, Deployment + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "apply", "-n", ns, "-f", "-");

        var output = await Kubectl.OkAsync(target, "delete", "namespace", ns, "--timeout=30s");

        Assert.Contains($"namespace \"{ns}\" deleted", output);
        var result = await Kubectl.RunAsync(target, "get", "namespace", ns);
        Assert.Contains($"namespaces \"{ns}\" not found", result.StdErr);
        var leftovers = await Kubectl.OkAsync(target, "get", "configmaps,deployments,replicasets", "-A", "--field-selector", $"metadata.namespace={ns}", "-o", "name");
        Assert.Equal("", leftovers.Trim());
    }
}
