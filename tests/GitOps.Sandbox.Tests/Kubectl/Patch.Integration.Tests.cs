using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PatchTests(ApiTarget target)
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: web, image: nginx:1.25, ports: [{containerPort: 80}]}
              - {name: sidecar, image: busybox:1.36}
        """;

    private async Task<string> NamespaceWithDeploymentAsync()
    {
        var ns = await target.NewNamespaceAsync("patch");
        await Kubectl.OkWithInputAsync(target, Deployment, "apply", "--server-side", "-n", ns, "-f", "-");
        return ns;
    }

    [Fact]
    public async Task PatchStrategic_ContainerByName_ChangesOnlyThatContainer()
    {
        var ns = await NamespaceWithDeploymentAsync();

        var output = await Kubectl.OkAsync(target, "patch", "-n", ns, "deployment/web", "--type=strategic",
            "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}""");

        Assert.Contains("deployment.apps/web patched", output);
        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        var containers = d["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => KubectlKit.Str(c?["name"])));
        Assert.Equal("nginx:1.25", KubectlKit.Str(containers[0]?["image"]));
        Assert.Equal(80, (int)containers[0]!["ports"]![0]!["containerPort"]!);
        Assert.Equal("busybox:1.37", KubectlKit.Str(containers[1]?["image"]));
        Assert.Equal(2, (long)d["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task PatchStrategic_DeleteDirective_RemovesContainer()
    {
        var ns = await NamespaceWithDeploymentAsync();

        await Kubectl.OkAsync(target, "patch", "-n", ns, "deployment/web",
            "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}""");

        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal(["web"], d["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => KubectlKit.Str(c?["name"])));
    }

    [Fact]
    public async Task PatchMerge_ReplacesListAndRemovesNull()
    {
        var ns = await target.NewNamespaceAsync("patch");
        await Kubectl.OkWithInputAsync(target, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1', b: '2'}\n", "apply", "-n", ns, "-f", "-");

        await Kubectl.OkAsync(target, "patch", "-n", ns, "configmap/c", "--type=merge", "-p", """{"data":{"a":null,"c":"3"}}""");

        var cm = await KubectlKit.GetJsonAsync(target, ns, "configmap/c");
        Assert.Equal(["b", "c"], cm["data"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task PatchJson_ReplaceAndTestOps_AppliesOrFails()
    {
        var ns = await NamespaceWithDeploymentAsync();

        await Kubectl.OkAsync(target, "patch", "-n", ns, "deployment/web", "--type=json",
            "-p", """[{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels/tier","value":"front"}]""");
        var failed = await Kubectl.RunAsync(target, "patch", "-n", ns, "deployment/web", "--type=json",
            "-p", """[{"op":"test","path":"/spec/replicas","value":5},{"op":"replace","path":"/spec/replicas","value":9}]""");

        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal(3, (int)d["spec"]!["replicas"]!);
        Assert.Equal("front", KubectlKit.Str(d["metadata"]?["labels"]?["tier"]));
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("The request is invalid", failed.StdErr);
    }

    [Fact]
    public async Task PatchStrategic_CustomResource_IsRefusedWithUnsupportedMediaType()
    {
        // Covered with a CRD in CustomResourceTests; here: an invalid patch on a built-in is a clean error.
        var ns = await NamespaceWithDeploymentAsync();

        var result = await Kubectl.RunAsync(target, "patch", "-n", ns, "deployment/web", "--type=merge", "-p", """{"spec":{"replicas":-1}}""");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", result.StdErr);
    }

    [Fact]
    public async Task LabelAndAnnotate_AddOverwriteRemove_UpdateMetadata()
    {
        var ns = await NamespaceWithDeploymentAsync();

        Assert.Contains("deployment.apps/web labeled", await Kubectl.OkAsync(target, "label", "-n", ns, "deployment/web", "tier=front"));
        var refused = await Kubectl.RunAsync(target, "label", "-n", ns, "deployment/web", "tier=back");
        await Kubectl.OkAsync(target, "label", "-n", ns, "deployment/web", "tier=back", "--overwrite");
        Assert.Contains("deployment.apps/web annotated", await Kubectl.OkAsync(target, "annotate", "-n", ns, "deployment/web", "note=hello", "gone=soon"));
        await Kubectl.OkAsync(target, "annotate", "-n", ns, "deployment/web", "gone-");
        await Kubectl.OkAsync(target, "label", "-n", ns, "deployment/web", "app-");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("'tier' already has a value (front), and --overwrite is false", refused.StdErr);
        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        var labels = d["metadata"]!["labels"]!.AsObject();
        Assert.Equal("back", KubectlKit.Str(labels["tier"]));
        Assert.False(labels.ContainsKey("app"));
        var annotations = d["metadata"]!["annotations"]!.AsObject();
        Assert.Equal("hello", KubectlKit.Str(annotations["note"]));
        Assert.False(annotations.ContainsKey("gone"));
        var selected = await Kubectl.OkAsync(target, "get", "-n", ns, "deployments", "-l", "tier=back", "-o", "name");
        Assert.Equal("deployment.apps/web", selected.Trim());
    }

    [Fact]
    public async Task Scale_Deployment_UpdatesReplicasThroughScaleSubresource()
    {
        var ns = await NamespaceWithDeploymentAsync();

        Assert.Contains("deployment.apps/web scaled", await Kubectl.OkAsync(target, "scale", "-n", ns, "deployment/web", "--replicas=5"));

        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal(5, (int)d["spec"]!["replicas"]!);
        Assert.Equal(2, (long)d["metadata"]!["generation"]!);
        var entry = d["metadata"]!["managedFields"]!.AsArray().Single(e => KubectlKit.Str(e?["subresource"]) == "scale");
        Assert.Equal("kubectl", KubectlKit.Str(entry?["manager"]));
        var scale = System.Text.Json.Nodes.JsonNode.Parse(await Kubectl.OkAsync(target, "get", "--raw", $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale"))!;
        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal(5, (int)scale["spec"]!["replicas"]!);
        Assert.Equal("app=web", (string?)scale["status"]?["selector"]);
        await Kubectl.OkAsync(target, "wait", "-n", ns, "deployment/web", "--for=jsonpath={.status.readyReplicas}=5", "--timeout=20s");
    }

    [Fact]
    public async Task Scale_CurrentReplicasPrecondition_FailsWhenDifferent()
    {
        var ns = await NamespaceWithDeploymentAsync();

        var result = await Kubectl.RunAsync(target, "scale", "-n", ns, "deployment/web", "--replicas=4", "--current-replicas=3");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Expected replicas to be 3, was 2", result.StdErr);
        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal(2, (int)d["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task Scale_StatefulSetStaleResourceVersion_FailsThenScales()
    {
        var ns = await target.NewNamespaceAsync("patch");
        await Kubectl.OkWithInputAsync(target, """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              replicas: 1
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: postgres:16}]}
            """, "apply", "-n", ns, "-f", "-");
        await Kubectl.OkAsync(target, "wait", "-n", ns, "statefulset/db", "--for=jsonpath={.status.readyReplicas}=1", "--timeout=20s");

        var stale = await Kubectl.RunAsync(target, "scale", "-n", ns, "statefulset/db", "--replicas=3", "--resource-version=1");
        await Kubectl.OkAsync(target, "scale", "-n", ns, "statefulset/db", "--replicas=3");

        Assert.NotEqual(0, stale.ExitCode);
        Assert.Contains("Expected resource version to be 1", stale.StdErr);
        var sts = await KubectlKit.GetJsonAsync(target, ns, "statefulset/db");
        Assert.Equal(3, (int)sts["spec"]!["replicas"]!);
    }
}
