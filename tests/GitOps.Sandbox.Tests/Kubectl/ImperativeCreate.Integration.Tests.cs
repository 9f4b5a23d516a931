using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImperativeCreateTests(ApiTarget target)
{
    /// <summary>
    /// `kubectl create configmap` sends a protobuf body; the sandbox decodes only JSON and YAML and
    /// answers 415 by design (client-go does not fall back for this call). Pinned so it stays a clear error.
    /// </summary>
    [Fact]
    public async Task CreateConfigMapImperative_ProtobufBody_RefusedWithClearUnsupportedMediaType()
    {
        if (target.IsRealCluster) return;
        var ns = await target.NewNamespaceAsync("imp");

        var result = await Kubectl.RunAsync(target, "create", "configmap", "c", "-n", ns, "--from-literal=a=1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: failed to create configmap: the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", result.StdErr);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "configmap/c"));
    }

    [Fact]
    public async Task CreateConfigMapDryRunClientThenApply_Works()
    {
        var ns = await target.NewNamespaceAsync("imp");
        var yaml = await Kubectl.OkAsync(target, "create", "configmap", "c", "-n", ns, "--from-literal=a=1", "--dry-run=client", "-o", "yaml");

        await Kubectl.OkWithInputAsync(target, yaml, "apply", "-f", "-");

        var cm = await KubectlKit.GetJsonAsync(target, ns, "configmap/c");
        Assert.Equal("1", KubectlKit.Str(cm["data"]?["a"]));
    }

    [Fact]
    public async Task CreateFromFile_ExistingObject_AlreadyExists()
    {
        var ns = await target.NewNamespaceAsync("imp");
        const string cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
        Assert.Contains("configmap/c created", await Kubectl.OkWithInputAsync(target, cm, "create", "-n", ns, "-f", "-"));

        var again = await Kubectl.RunWithInputAsync(target, cm, "create", "-n", ns, "-f", "-");

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("Error from server (AlreadyExists): error when creating \"STDIN\": configmaps \"c\" already exists", again.StdErr);
    }
}
