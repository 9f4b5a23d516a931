using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImperativeCreateTests(ApiTarget target)
{
    // kubectl's imperative `create` sends protobuf bodies (client-go's typed clients); the sandbox
    // decodes the common kinds to JSON and stores them as if they had been sent as JSON.

    [Fact]
    public async Task CreateConfigMapImperative_ProtobufBody_Created()
    {
        var ns = await target.NewNamespaceAsync("imp");

        var result = await Kubectl.OkAsync(target, "create", "configmap", "c", "-n", ns, "--from-literal=a=1", "--from-literal=b=two words");

        Assert.Contains("configmap/c created", result);
        var cm = await KubectlKit.GetJsonAsync(target, ns, "configmap/c");
        Assert.Equal("1", KubectlKit.Str(cm["data"]?["a"]));
        Assert.Equal("two words", KubectlKit.Str(cm["data"]?["b"]));
        Assert.Equal("kubectl-create", KubectlKit.Str(cm["metadata"]?["managedFields"]?[0]?["manager"]));
    }

    [Fact]
    public async Task CreateSecretGenericImperative_ProtobufBody_Created()
    {
        var ns = await target.NewNamespaceAsync("imp");

        var result = await Kubectl.OkAsync(target, "create", "secret", "generic", "s", "-n", ns, "--from-literal=password=p@ss", "--type=example.com/custom");

        Assert.Contains("secret/s created", result);
        var secret = await KubectlKit.GetJsonAsync(target, ns, "secret/s");
        Assert.Equal(Convert.ToBase64String("p@ss"u8.ToArray()), KubectlKit.Str(secret["data"]?["password"]));
        Assert.Equal("example.com/custom", KubectlKit.Str(secret["type"]));
    }

    [Fact]
    public async Task CreateNamespaceImperative_ProtobufBody_Created()
    {
        if (target.IsRealCluster) return;
        var name = $"imp-ns-{Guid.NewGuid():N}"[..20];
        try
        {
            Assert.Contains($"namespace/{name} created", await Kubectl.OkAsync(target, "create", "namespace", name));

            var ns = JsonNode.Parse(await Kubectl.OkAsync(target, "get", "namespace", name, "-o", "json"))!;
            Assert.Equal("Active", KubectlKit.Str(ns["status"]?["phase"]));
        }
        finally
        {
            await Kubectl.RunAsync(target, "delete", "namespace", name, "--wait=false");
        }
    }

    [Fact]
    public async Task CreateDeploymentImperative_ProtobufBody_CreatedAndBecomesAvailable()
    {
        var ns = await target.NewNamespaceAsync("imp");

        var result = await Kubectl.OkAsync(target, "create", "deployment", "web", "-n", ns, "--image=nginx", "--port=80", "--replicas=2");

        Assert.Contains("deployment.apps/web created", result);
        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal(2, (int)d["spec"]!["replicas"]!);
        Assert.Equal("web", KubectlKit.Str(d["spec"]?["selector"]?["matchLabels"]?["app"]));
        var container = d["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx", KubectlKit.Str(container["image"]));
        Assert.Equal(80, (int)container["ports"]![0]!["containerPort"]!);
        Assert.Equal("RollingUpdate", KubectlKit.Str(d["spec"]?["strategy"]?["type"]));
        await Kubectl.OkAsync(target, "wait", "-n", ns, "--for=condition=Available", "deployment/web", "--timeout=30s");
    }

    [Fact]
    public async Task CreateServiceAccountAndServiceImperative_ProtobufBody_Created()
    {
        var ns = await target.NewNamespaceAsync("imp");

        Assert.Contains("serviceaccount/robot created", await Kubectl.OkAsync(target, "create", "serviceaccount", "robot", "-n", ns));
        Assert.Contains("service/web created", await Kubectl.OkAsync(target, "create", "service", "clusterip", "web", "-n", ns, "--tcp=80:8080"));

        Assert.True(await KubectlKit.ExistsAsync(target, ns, "serviceaccount/robot"));
        var svc = await KubectlKit.GetJsonAsync(target, ns, "service/web");
        Assert.Equal(80, (int)svc["spec"]!["ports"]![0]!["port"]!);
        Assert.Equal(8080, (int)svc["spec"]!["ports"]![0]!["targetPort"]!);
        Assert.Equal("web", KubectlKit.Str(svc["spec"]?["selector"]?["app"]));
    }

    /// <summary>
    /// Kinds without a protobuf table (here ResourceQuota) are still refused with a clear 415
    /// (client-go does not fall back to JSON for this call). Pinned so it stays a clear error.
    /// </summary>
    [Fact]
    public async Task CreateQuotaImperative_UnsupportedProtobufKind_RefusedWithClearUnsupportedMediaType()
    {
        if (target.IsRealCluster) return;
        var ns = await target.NewNamespaceAsync("imp");

        var result = await Kubectl.RunAsync(target, "create", "quota", "q", "-n", ns, "--hard=pods=2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: failed to create quota: the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", result.StdErr);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "resourcequota/q"));
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
