using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GetWatchTests(ApiTarget target)
{
    private const string ConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: watched, labels: {app: watched}}
        data: {a: "1"}
        """;

    [Fact]
    public async Task GetWatch_CreateUpdateDelete_PrintsEachEvent()
    {
        var ns = await target.NewNamespaceAsync("watch");
        await using var watch = new BackgroundKubectl(target, "get", "configmaps", "-n", ns, "-l", "app=watched", "-w", "--output-watch-events", "--request-timeout=60s");

        await Kubectl.OkWithInputAsync(target, ConfigMap, "apply", "-n", ns, "-f", "-");
        await watch.WaitForLineAsync(l => Regex.IsMatch(l, @"^ADDED\s+watched\s"), "ADDED event");
        await Kubectl.OkAsync(target, "patch", "-n", ns, "configmap/watched", "--type=merge", "-p", """{"data":{"a":"2"}}""");
        await watch.WaitForLineAsync(l => Regex.IsMatch(l, @"^MODIFIED\s+watched\s"), "MODIFIED event");
        await Kubectl.OkAsync(target, "delete", "-n", ns, "configmap/watched");
        await watch.WaitForLineAsync(l => Regex.IsMatch(l, @"^DELETED\s+watched\s"), "DELETED event");

        Assert.Matches(@"^EVENT\s+NAME\s+DATA\s+AGE|^EVENT\s+NAME\s+AGE", watch.Lines[0]);
        Assert.Empty(KubectlKit.UnexpectedStdErr(watch.StdErr));
    }

    [Fact]
    public async Task GetWatchJsonPath_Update_PrintsNewValue()
    {
        var ns = await target.NewNamespaceAsync("watch");
        await Kubectl.OkWithInputAsync(target, ConfigMap, "apply", "-n", ns, "-f", "-");
        await using var watch = new BackgroundKubectl(target, "get", "configmap/watched", "-n", ns, "-w", "-o", "jsonpath={.data.a}{\"\\n\"}");
        await watch.WaitForLineAsync(l => l == "1", "initial value");

        await Kubectl.OkAsync(target, "patch", "-n", ns, "configmap/watched", "--type=merge", "-p", """{"data":{"a":"42"}}""");

        await watch.WaitForLineAsync(l => l == "42", "updated value");
    }

    [Fact]
    public async Task GetOutputFormats_ConfigMap_ReturnsObject()
    {
        var ns = await target.NewNamespaceAsync("get");
        await Kubectl.OkWithInputAsync(target, ConfigMap, "apply", "-n", ns, "-f", "-");

        var yaml = await Kubectl.OkAsync(target, "get", "-n", ns, "configmap/watched", "-o", "yaml");
        var json = JsonNode.Parse(await Kubectl.OkAsync(target, "get", "-n", ns, "configmap/watched", "-o", "json"))!;
        var jsonPath = await Kubectl.OkAsync(target, "get", "-n", ns, "configmaps", "-o", "jsonpath={.items[*].metadata.name}={.items[*].data.a}");
        var name = await Kubectl.OkAsync(target, "get", "-n", ns, "configmaps", "-l", "app=watched", "-o", "name");
        var columns = await Kubectl.OkAsync(target, "get", "-n", ns, "configmap/watched", "-o", "custom-columns=N:.metadata.name,A:.data.a,NS:.metadata.namespace");

        Assert.Contains("apiVersion: v1", yaml);
        Assert.Contains("kind: ConfigMap", yaml);
        Assert.Contains("  a: \"1\"", yaml);
        Assert.Equal("ConfigMap", (string?)json["kind"]);
        Assert.Equal(ns, (string?)json["metadata"]?["namespace"]);
        Assert.False(string.IsNullOrEmpty((string?)json["metadata"]?["uid"]));
        // The list holds the ConfigMaps a real cluster's controllers put there too, in name order, without data.a.
        var names = target.ClusterConfigMapsIn(ns).Append("watched").Order(StringComparer.Ordinal);
        Assert.Equal(string.Join(" ", names) + "=1", jsonPath.TrimEnd());
        Assert.Equal("configmap/watched", name.Trim());
        Assert.Matches(@"^N\s+A\s+NS\s*\nwatched\s+1\s+" + ns, columns);
    }

    [Fact]
    public async Task GetList_JsonOfSeveralKinds_ReturnsList()
    {
        var ns = await target.NewNamespaceAsync("get");
        await Kubectl.OkWithInputAsync(target, ConfigMap + "\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n", "apply", "-n", ns, "-f", "-");

        var list = JsonNode.Parse(await Kubectl.OkAsync(target, "get", "-n", ns, "configmap/watched", "serviceaccount/robot", "-o", "json"))!;

        Assert.Equal("List", (string?)list["kind"]);
        Assert.Equal(["ConfigMap", "ServiceAccount"], list["items"]!.AsArray().Select(i => (string?)i?["kind"]));
    }

    [Fact]
    public async Task GetTable_Namespace_ShowsStatusColumn()
    {
        var ns = await target.NewNamespaceAsync("get");

        var output = await Kubectl.OkAsync(target, "get", "namespace", ns);

        Assert.Matches(@"^NAME\s+STATUS\s+AGE\s*\n" + ns + @"\s+Active\s+\d+s\s*$", output);
    }

    [Fact]
    public async Task GetTable_SecretAndService_ShowsTypeColumns()
    {
        var ns = await target.NewNamespaceAsync("get");
        await Kubectl.OkWithInputAsync(target, """
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            type: kubernetes.io/basic-auth
            stringData: {username: u, password: p}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc}
            spec:
              ports: [{port: 80}]
            """, "apply", "-n", ns, "-f", "-");

        var secrets = await Kubectl.OkAsync(target, "get", "-n", ns, "secret", "s");
        var services = await Kubectl.OkAsync(target, "get", "-n", ns, "service", "svc");

        Assert.Matches(@"^NAME\s+TYPE\s+", secrets);
        Assert.Matches(@"\ns\s+kubernetes.io/basic-auth\s+", secrets);
        Assert.Matches(@"^NAME\s+TYPE\s+CLUSTER-IP\s+", services);
        Assert.Matches(@"\nsvc\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+", services);
    }

    [Fact]
    public async Task GetTable_Deployment_PrintsReadyUpToDateAvailable()
    {
        var ns = await target.NewNamespaceAsync("get");
        await Kubectl.OkWithInputAsync(target, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx}]}
            """, "apply", "-n", ns, "-f", "-");
        await Kubectl.OkAsync(target, "wait", "-n", ns, "deployment/web", "--for=condition=Available", "--timeout=120s");

        var output = await Kubectl.OkAsync(target, "get", "-n", ns, "deployments");
        var wide = await Kubectl.OkAsync(target, "get", "-n", ns, "deployments", "-o", "wide");
        var noHeaders = await Kubectl.OkAsync(target, "get", "-n", ns, "deployments", "--no-headers");

        Assert.Matches(@"^NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n", output);
        Assert.Matches(@"\nweb    1/1     1            1           \d+s\s*$", output);
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n", wide);
        Assert.Matches(@"\nweb\s+1/1\s+1\s+1\s+\d+s\s+web\s+nginx\s+app=web\s*$", wide);
        Assert.StartsWith("web ", noHeaders);
    }

    [Fact]
    public async Task GetTable_ConfigMapAndJob_PrintsDataAndCompletions()
    {
        var ns = await target.NewNamespaceAsync("get");
        await Kubectl.OkWithInputAsync(target, ConfigMap + """

            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: once}
            spec:
              completions: 2
              template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox, command: ["true"]}]}}
            """, "apply", "-n", ns, "-f", "-");

        var configMaps = await Kubectl.OkAsync(target, "get", "-n", ns, "configmaps", "watched");
        var jobs = await Kubectl.OkAsync(target, "get", "-n", ns, "jobs");

        Assert.Matches(@"^NAME\s+DATA\s+AGE\s*\nwatched\s+1\s+\d+s\s*$", configMaps);
        Assert.Matches(@"^NAME\s+COMPLETIONS\s+DURATION\s+AGE\s*\nonce\s+\d/2\s+", jobs);
    }

    [Fact]
    public async Task GetNotFound_MissingObject_PrintsServerError()
    {
        var ns = await target.NewNamespaceAsync("get");

        var result = await Kubectl.RunAsync(target, "get", "-n", ns, "configmap/nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error from server (NotFound): configmaps \"nope\" not found", result.StdErr);
    }
}
