using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HelmTests(ApiTarget target) : IDisposable
{
    private readonly string _chart = CreateChart();

    private static string CreateChart()
    {
        var dir = Directory.CreateTempSubdirectory("gitops-e2e-chart-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "templates"));
        File.WriteAllText(Path.Combine(dir, "Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: \"1.0\"\n");
        File.WriteAllText(Path.Combine(dir, "values.yaml"), "greeting: hello\nreplicas: 1\nimage: nginx:1.25\n");
        File.WriteAllText(Path.Combine(dir, "templates", "all.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
            data:
              greeting: {{ .Values.greeting | quote }}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}-web
              labels: {app: {{ .Release.Name }}}
            spec:
              replicas: {{ .Values.replicas }}
              selector:
                matchLabels: {app: {{ .Release.Name }}}
              template:
                metadata:
                  labels: {app: {{ .Release.Name }}}
                spec:
                  containers:
                  - name: web
                    image: {{ .Values.image }}
                    ports: [{containerPort: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {{ .Release.Name }}-svc
            spec:
              selector: {app: {{ .Release.Name }}}
              ports: [{port: 80, targetPort: 80}]
            """);
        return dir;
    }

    [Fact]
    public async Task HelmTemplate_SmallChart_RendersAndAppliesServerSide()
    {
        var ns = await target.NewNamespaceAsync("helm");
        var rendered = await HelmOkAsync("template", "tpl", _chart, "-n", ns, "--set", "greeting=hi");

        var applied = await Kubectl.OkWithInputAsync(target, rendered, "apply", "--server-side", "-n", ns, "-f", "-");

        Assert.Contains("configmap/tpl-config serverside-applied", applied);
        Assert.Contains("deployment.apps/tpl-web serverside-applied", applied);
        Assert.Contains("service/tpl-svc serverside-applied", applied);
        await Kubectl.OkAsync(target, "wait", "-n", ns, "--for=condition=Available", "deployment/tpl-web", "--timeout=30s");
    }

    public void Dispose() => Directory.Delete(_chart, recursive: true);

    private async Task<string> HelmOkAsync(params string[] args)
    {
        var result = await Kubectl.HelmAsync(target, args);
        Assert.True(result.ExitCode == 0, $"helm {string.Join(' ', args)} failed: {result}");
        return result.StdOut;
    }

    /// <summary>helm keeps its release record in Secrets written through client-go's typed client, which sends protobuf.</summary>
    [Fact]
    public async Task HelmInstallUpgradeUninstall_SmallChart_ManagesObjects()
    {
        var ns = await target.NewNamespaceAsync("helm");

        var install = await HelmOkAsync("install", "demo", _chart, "-n", ns);
        Assert.Contains("STATUS: deployed", install);
        var cm = await KubectlKit.GetJsonAsync(target, ns, "configmap/demo-config");
        Assert.Equal("hello", KubectlKit.Str(cm["data"]?["greeting"]));
        Assert.Equal("Helm", KubectlKit.Str(cm["metadata"]?["labels"]?["app.kubernetes.io/managed-by"]));
        Assert.True(await KubectlKit.ExistsAsync(target, ns, "deployment/demo-web"));
        Assert.True(await KubectlKit.ExistsAsync(target, ns, "service/demo-svc"));

        var list = JsonNode.Parse(await HelmOkAsync("list", "-n", ns, "-o", "json"))!.AsArray();
        Assert.Equal("demo", KubectlKit.Str(Assert.Single(list)!["name"]));
        Assert.Equal("deployed", KubectlKit.Str(list[0]!["status"]));

        var upgrade = await HelmOkAsync("upgrade", "demo", _chart, "-n", ns, "--set", "greeting=bonjour", "--set", "replicas=3");
        Assert.Contains("REVISION: 2", upgrade);
        cm = await KubectlKit.GetJsonAsync(target, ns, "configmap/demo-config");
        Assert.Equal("bonjour", KubectlKit.Str(cm["data"]?["greeting"]));
        var deployment = await KubectlKit.GetJsonAsync(target, ns, "deployment/demo-web");
        Assert.Equal(3, (int)deployment["spec"]!["replicas"]!);

        var status = await HelmOkAsync("status", "demo", "-n", ns);
        Assert.Contains("STATUS: deployed", status);
        Assert.Contains("REVISION: 2", status);
        var history = await HelmOkAsync("history", "demo", "-n", ns);
        Assert.Contains("superseded", history);

        var uninstall = await HelmOkAsync("uninstall", "demo", "-n", ns, "--wait", "--timeout=30s");
        Assert.Contains("release \"demo\" uninstalled", uninstall);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "configmap/demo-config"));
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "deployment/demo-web"));
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "service/demo-svc"));
        Assert.Equal("", (await Kubectl.OkAsync(target, "get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
    }

    [Fact]
    public async Task HelmInstallWait_SimulatedControllers_ReportsReady()
    {
        var ns = await target.NewNamespaceAsync("helm");

        var install = await HelmOkAsync("install", "waited", _chart, "-n", ns, "--wait", "--timeout=60s");

        Assert.Contains("STATUS: deployed", install);
        var d = await KubectlKit.GetJsonAsync(target, ns, "deployment/waited-web");
        Assert.Equal(1, (int?)d["status"]?["readyReplicas"]);
    }
}
