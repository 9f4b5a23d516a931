using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WaitTests(ApiTarget target)
{
    private static string Deployment(string name, string annotations = "{}") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{name}}, annotations: {{annotations}} }
        spec:
          replicas: 2
          selector: {matchLabels: {app: {{name}} } }
          template:
            metadata: {labels: {app: {{name}} } }
            spec: {containers: [{name: web, image: nginx}]}
        """;

    [Fact]
    public async Task WaitConditionAvailable_Deployment_Succeeds()
    {
        var ns = await target.NewNamespaceAsync("wait");
        await Kubectl.OkWithInputAsync(target, Deployment("web"), "apply", "-n", ns, "-f", "-");

        var output = await Kubectl.OkAsync(target, "wait", "-n", ns, "--for=condition=Available", "deployment/web", "--timeout=30s");

        Assert.Contains("deployment.apps/web condition met", output);
        var rollout = await Kubectl.OkAsync(target, "rollout", "status", "-n", ns, "deployment/web", "--timeout=30s");
        Assert.Contains("successfully rolled out", rollout);
    }

    [Fact]
    public async Task WaitJsonPath_ReadyReplicas_Succeeds()
    {
        var ns = await target.NewNamespaceAsync("wait");
        await Kubectl.OkWithInputAsync(target, Deployment("web"), "apply", "-n", ns, "-f", "-");

        var output = await Kubectl.OkAsync(target, "wait", "-n", ns, "--for=jsonpath={.status.readyReplicas}=2", "deployment/web", "--timeout=30s");

        Assert.Contains("deployment.apps/web condition met", output);
    }

    [Fact]
    public async Task WaitForDelete_FinalizerRemovedMeanwhile_Succeeds()
    {
        var ns = await target.NewNamespaceAsync("wait");
        await Kubectl.OkWithInputAsync(target, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: doomed, finalizers: [e2e.gitops.dev/hold]}\n", "apply", "-n", ns, "-f", "-");
        await Kubectl.OkAsync(target, "delete", "-n", ns, "configmap/doomed", "--wait=false");
        await using var waiter = new BackgroundKubectl(target, "wait", "-n", ns, "--for=delete", "configmap/doomed", "--timeout=30s");
        Assert.True(await KubectlKit.ExistsAsync(target, ns, "configmap/doomed"));

        await Kubectl.OkAsync(target, "patch", "-n", ns, "configmap/doomed", "--type=json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");

        Assert.Equal(0, await waiter.WaitForExitAsync());
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "configmap/doomed"));
    }

    [Fact]
    public async Task WaitForDelete_MissingObject_SucceedsImmediately()
    {
        var ns = await target.NewNamespaceAsync("wait");

        var result = await Kubectl.RunAsync(target, "wait", "-n", ns, "--for=delete", "configmap/never", "--timeout=5s");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task WaitConditionAvailable_FailingDeployment_TimesOutWithProgressingFalse()
    {
        var ns = await target.NewNamespaceAsync("wait");
        await Kubectl.OkWithInputAsync(target, Deployment("broken", """{"sandbox.gitops.dev/fail": "image pull failed"}"""), "apply", "-n", ns, "-f", "-");

        var progressing = await Kubectl.OkAsync(target, "wait", "-n", ns, "--for=condition=Progressing=False", "deployment/broken", "--timeout=30s");
        var available = await Kubectl.RunAsync(target, "wait", "-n", ns, "--for=condition=Available", "deployment/broken", "--timeout=2s");

        Assert.Contains("deployment.apps/broken condition met", progressing);
        Assert.NotEqual(0, available.ExitCode);
        Assert.Contains("timed out waiting for the condition on deployments/broken", available.StdErr);
        var reason = await Kubectl.OkAsync(target, "get", "-n", ns, "deployment/broken", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}: {.status.conditions[?(@.type==\"Progressing\")].message}");
        Assert.StartsWith("ProgressDeadlineExceeded: ", reason);
        Assert.Contains("image pull failed", reason);
        var rollout = await Kubectl.RunAsync(target, "rollout", "status", "-n", ns, "deployment/broken", "--timeout=10s");
        Assert.NotEqual(0, rollout.ExitCode);
        Assert.Contains("exceeded its progress deadline", rollout.StdErr);
    }
}
