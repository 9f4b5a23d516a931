using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServerSideApplyTests(ApiTarget target)
{
    private static string Manifest(string ns, string image = "nginx:1.25") => $$$"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cfg}
        data: {a: "1"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: sec}
        stringData: {password: hunter2}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: svc}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "{{{image}}}"}]
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: sa}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: r}
        rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: rb}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
        subjects: [{kind: ServiceAccount, name: sa, namespace: {{{ns}}}}]
        """;

    private const string AllKinds = "configmap/cfg,secret/sec,service/svc,deployment/web,serviceaccount/sa,role/r,rolebinding/rb";

    [Fact]
    public async Task ApplyServerSide_MultiDocument_CreatesEveryObject()
    {
        var ns = await target.NewNamespaceAsync("ssa");
        using var file = KubectlKit.Write(Manifest(ns));

        var output = await Kubectl.OkAsync(target, "apply", "--server-side", "-n", ns, "-f", file.Path);

        foreach (var line in new[] { "configmap/cfg", "secret/sec", "service/svc", "deployment.apps/web", "serviceaccount/sa", "role.rbac.authorization.k8s.io/r", "rolebinding.rbac.authorization.k8s.io/rb" })
            Assert.Contains($"{line} serverside-applied", output);
        var secret = await KubectlKit.GetJsonAsync(target, ns, "secret/sec");
        Assert.Equal(Convert.ToBase64String("hunter2"u8.ToArray()), KubectlKit.Str(secret["data"]?["password"]));
        Assert.Null(secret["stringData"]);
        var service = await KubectlKit.GetJsonAsync(target, ns, "service/svc");
        Assert.Equal("ClusterIP", KubectlKit.Str(service["spec"]?["type"]));
        Assert.Equal(8080, (int)service["spec"]!["ports"]![0]!["targetPort"]!);
        var deployment = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal(1, (long)deployment["metadata"]!["generation"]!);
        var entry = deployment["metadata"]?["managedFields"]?.AsArray().Single(e => (string?)e?["manager"] == "kubectl");
        Assert.Equal("Apply", KubectlKit.Str(entry?["operation"]));
        var binding = await KubectlKit.GetJsonAsync(target, ns, "rolebinding/rb");
        Assert.Equal(ns, KubectlKit.Str(binding["subjects"]?[0]?["namespace"]));
    }

    [Fact]
    public async Task ApplyServerSide_SameManifestTwice_WritesNothing()
    {
        var ns = await target.NewNamespaceAsync("ssa");
        using var file = KubectlKit.Write(Manifest(ns));
        await Kubectl.OkAsync(target, "apply", "--server-side", "-n", ns, "-f", file.Path);
        await Kubectl.OkAsync(target, "wait", "-n", ns, "--for=condition=Available", "deployment/web", "--timeout=20s");
        // The Secret is left out: stringData is converted to data on every write, so apply sees a change each time.
        string[] kinds = ["configmap/cfg", "service/svc", "deployment/web", "serviceaccount/sa", "role/r", "rolebinding/rb"];
        var before = await Kubectl.OkAsync(target, ["get", "-n", ns, .. kinds, "-o", "jsonpath={range .items[*]}{.kind}={.metadata.resourceVersion}/{.metadata.generation} {end}"]);

        await Kubectl.OkAsync(target, "apply", "--server-side", "-n", ns, "-f", file.Path);

        var after = await Kubectl.OkAsync(target, ["get", "-n", ns, .. kinds, "-o", "jsonpath={range .items[*]}{.kind}={.metadata.resourceVersion}/{.metadata.generation} {end}"]);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ApplyServerSide_OtherManagerChangesOwnedField_ConflictsUntilForced()
    {
        var ns = await target.NewNamespaceAsync("ssa");
        using var file = KubectlKit.Write(Manifest(ns));
        await Kubectl.OkAsync(target, "apply", "--server-side", "-n", ns, "-f", file.Path);
        using var other = KubectlKit.Write("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "nginx:1.26"}]
            """);

        var conflict = await Kubectl.RunAsync(target, "apply", "--server-side", "--field-manager=other", "-n", ns, "-f", other.Path);

        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.template.spec.containers[name=\"web\"].image", conflict.StdErr);
        Assert.Contains("--force-conflicts", conflict.StdErr);
        var unchanged = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal("nginx:1.25", KubectlKit.Str(unchanged["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]));

        var forced = await Kubectl.OkAsync(target, "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-n", ns, "-f", other.Path);

        Assert.Contains("deployment.apps/web serverside-applied", forced);
        var changed = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal("nginx:1.26", KubectlKit.Str(changed["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]));
        Assert.Equal(2, (long)changed["metadata"]!["generation"]!);
        var managers = changed["metadata"]!["managedFields"]!.AsArray().Select(e => KubectlKit.Str(e?["manager"])).ToList();
        Assert.Contains("other", managers);
        Assert.Contains("kubectl", managers);
    }

    [Fact]
    public async Task ApplyServerSide_DryRunServer_ChangesNothing()
    {
        var ns = await target.NewNamespaceAsync("ssa");
        using var file = KubectlKit.Write(Manifest(ns));

        var output = await Kubectl.OkAsync(target, "apply", "--server-side", "--dry-run=server", "-n", ns, "-f", file.Path);

        Assert.Contains("configmap/cfg serverside-applied (server dry run)", output);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "configmap/cfg"));
    }

    [Fact]
    public async Task Diff_ServerSideAfterChange_ShowsOnlyTheChange()
    {
        var ns = await target.NewNamespaceAsync("ssa");
        using var file = KubectlKit.Write(Manifest(ns));
        await Kubectl.OkAsync(target, "apply", "--server-side", "-n", ns, "-f", file.Path);
        file.Update(Manifest(ns, "nginx:1.27"));

        var diff = await Kubectl.RunAsync(target, "diff", "--server-side", "-n", ns, "-f", file.Path);

        Assert.True(diff.ExitCode == 1, diff.ToString());
        Assert.Contains("-      - image: nginx:1.25", diff.StdOut);
        Assert.Contains("+      - image: nginx:1.27", diff.StdOut);
        Assert.DoesNotContain("v1.ConfigMap.", diff.StdOut);
        Assert.DoesNotContain("v1.Service.", diff.StdOut);
    }
}
