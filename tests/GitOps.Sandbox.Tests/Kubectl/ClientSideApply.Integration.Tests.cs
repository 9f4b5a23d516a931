using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClientSideApplyTests(ApiTarget target)
{
    private const string First = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: csa
          labels: {tier: web, team: a}
        data: {a: "1", b: "2"}
        """;

    [Fact]
    public async Task Apply_SameFileTwice_SecondIsUnchangedWithoutWrite()
    {
        var ns = await target.NewNamespaceAsync("csa");
        using var file = KubectlKit.Write(First);

        Assert.Contains("configmap/csa created", await Kubectl.OkAsync(target, "apply", "-n", ns, "-f", file.Path));
        var before = await KubectlKit.GetJsonAsync(target, ns, "configmap/csa");

        Assert.Contains("configmap/csa unchanged", await Kubectl.OkAsync(target, "apply", "-n", ns, "-f", file.Path));

        var after = await KubectlKit.GetJsonAsync(target, ns, "configmap/csa");
        Assert.Equal(KubectlKit.Str(before["metadata"]?["resourceVersion"]), KubectlKit.Str(after["metadata"]?["resourceVersion"]));
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", after["metadata"]!["annotations"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Apply_FieldRemovedFromFile_DisappearsFromObject()
    {
        var ns = await target.NewNamespaceAsync("csa");
        using var file = KubectlKit.Write(First);
        await Kubectl.OkAsync(target, "apply", "-n", ns, "-f", file.Path);
        // Someone else adds a label and a key: apply must keep what it never managed.
        await Kubectl.OkAsync(target, "label", "-n", ns, "configmap/csa", "extra=kept");
        file.Update("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: csa
              labels: {tier: web}
            data: {a: "9"}
            """);

        Assert.Contains("configmap/csa configured", await Kubectl.OkAsync(target, "apply", "-n", ns, "-f", file.Path));

        var cm = await KubectlKit.GetJsonAsync(target, ns, "configmap/csa");
        Assert.Equal("9", KubectlKit.Str(cm["data"]?["a"]));
        Assert.Null(cm["data"]?["b"]);
        var labels = cm["metadata"]!["labels"]!.AsObject();
        Assert.Equal("web", KubectlKit.Str(labels["tier"]));
        Assert.Equal("kept", KubectlKit.Str(labels["extra"]));
        Assert.False(labels.ContainsKey("team"));
    }

    [Fact]
    public async Task Apply_DeploymentContainerRemoved_RemovesContainerAndBumpsGeneration()
    {
        var ns = await target.NewNamespaceAsync("csa");
        const string template = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
            """;
        using var file = KubectlKit.Write(template + "\n      - {name: web, image: nginx:1.25, env: [{name: A, value: '1'}]}\n      - {name: sidecar, image: busybox:1.36}\n");
        await Kubectl.OkAsync(target, "apply", "-n", ns, "-f", file.Path);
        file.Update(template + "\n      - {name: web, image: nginx:1.25}\n");

        Assert.Contains("deployment.apps/web configured", await Kubectl.OkAsync(target, "apply", "-n", ns, "-f", file.Path));

        var deployment = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal("web", KubectlKit.Str(Assert.Single(containers)!["name"]));
        Assert.Null(containers[0]!["env"]);
        Assert.Equal(2, (long)deployment["metadata"]!["generation"]!);
    }
}
