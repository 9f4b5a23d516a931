using System.Net;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Create, read, update and delete, and the metadata the server owns (API concepts, API conventions).</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CrudMetadataTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    [Fact]
    public async Task Create_ConfigMap_SetsUidCreationTimestampAndResourceVersion()
    {
        var ns = await target.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("meta"), ns);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.True(Guid.TryParse(created.Metadata.Uid, out _), created.Metadata.Uid);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.InRange(created.Metadata.CreationTimestamp!.Value, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        Assert.True(Conform.Rv(created) > 0);
        Assert.Null(created.Metadata.Generation);
        var read = await Client.CoreV1.ReadNamespacedConfigMapAsync("meta", ns);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ResourceVersion_AcrossKindsAndNamespaces_IsOneIncreasingCounter()
    {
        var ns1 = await target.NewNamespaceAsync();
        var ns2 = await target.NewNamespaceAsync();
        var versions = new List<long>
        {
            Conform.Rv(await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("a"), ns1)),
            Conform.Rv(await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, ns2)),
            Conform.Rv(await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "sa" } }, ns1)),
        };
        var cm = await Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns1);
        cm.Data = new Dictionary<string, string> { ["k"] = "v" };
        versions.Add(Conform.Rv(await Client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "a", ns1)));
        for (var i = 1; i < versions.Count; i++) Assert.True(versions[i] > versions[i - 1], string.Join(",", versions));
    }

    [Fact]
    public async Task Update_WithoutChanges_KeepsResourceVersion()
    {
        var ns = await target.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("same", new Dictionary<string, string> { ["k"] = "v" }), ns);
        var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", ns);
        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    public static TheoryData<string, string, bool> Generation_TestData() => new()
    {
        { "spec change", "spec", true },
        { "annotation change (Deployment strategy counts it)", "annotation", true },
        { "label change", "label", false },
        { "status change through the status subresource", "status", false },
    };

    [Theory]
    [MemberData(nameof(Generation_TestData))]
    public async Task Generation_DeploymentChange_BumpsOnlyWhenExpected(string caseName, string change, bool bumps)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Conform.Deployment("gen"), ns);
        Assert.Equal(1, created.Metadata.Generation);
        V1Deployment after = change switch
        {
            "spec" => await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "gen", ns),
            "annotation" => await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"annotations":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "gen", ns),
            "label" => await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "gen", ns),
            _ => await Client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch("""{"status":{"observedGeneration":1,"conditions":[{"type":"Conformance","status":"True"}]}}""", V1Patch.PatchType.MergePatch), "gen", ns),
        };
        Assert.Equal(bumps ? 2 : 1, after.Metadata.Generation);
    }

    [Fact]
    public async Task Create_WithGenerateName_AppendsRandomSuffix()
    {
        var ns = await target.NewNamespaceAsync();
        var body = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } };
        var a = await Client.CoreV1.CreateNamespacedConfigMapAsync(body, ns);
        var b = await Client.CoreV1.CreateNamespacedConfigMapAsync(body, ns);
        Assert.StartsWith("gen-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("gen-".Length + 5, a.Metadata.Name.Length);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
        Assert.Equal("gen-", a.Metadata.GenerateName);
    }

    [Fact]
    public async Task Create_WithoutNamespaceInBody_TakesTheUrlNamespace()
    {
        var ns = await target.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("no-ns"), ns);
        Assert.Equal(ns, created.Metadata.NamespaceProperty);
    }

    public static TheoryData<string, string, string> InvalidName_TestData() => new()
    {
        { "configmap with upper case", "configmaps", "Bad-Name" },
        { "configmap with underscore", "configmaps", "bad_name" },
        { "configmap longer than 253", "configmaps", new string('a', 254) },
        { "service starting with a digit", "services", "1svc" },
        { "service with a dot", "services", "svc.one" },
        { "namespace with a dot", "namespaces", "ns.one" },
    };

    [Theory]
    [MemberData(nameof(InvalidName_TestData))]
    public async Task Create_InvalidName_Returns422AndStoresNothing(string caseName, string resource, string name)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        Task call() => resource switch
        {
            "configmaps" => Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap(name), ns),
            "services" => Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
            }, ns),
            _ => Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }),
        };
        var e = await Conform.FailsAsync(HttpStatusCode.UnprocessableEntity, call);
        Assert.Contains("\"reason\":\"Invalid\"", e.Response.Content, StringComparison.Ordinal);
        Assert.Empty(await Conform.ConfigMapNamesAsync(target, ns));
        Assert.Empty((await Client.CoreV1.ListNamespacedServiceAsync(ns)).Items);
    }

    public static TheoryData<string, string, string, string> BadRequest_TestData() => new()
    {
        { "malformed JSON", "POST", "configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x" """ },
        { "body is not an object", "POST", "configmaps", "[1,2]" },
        { "kind of another resource", "POST", "configmaps", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}""" },
        { "namespace differs from URL", "POST", "configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"elsewhere"}}""" },
        { "name differs from URL on update", "PUT", "configmaps/x", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"y"}}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequest_TestData))]
    public async Task Write_MalformedOrMismatchedBody_Returns400AndChangesNothing(string caseName, string method, string resource, string body)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var existing = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("x", new Dictionary<string, string> { ["k"] = "v" }), ns);
        var (code, text, _) = await Conform.RawAsync(Client, new HttpMethod(method), $"api/v1/namespaces/{ns}/{resource}", body);
        Assert.True(code == HttpStatusCode.BadRequest, $"{(int)code}: {text}");
        Assert.Contains("\"kind\":\"Status\"", text, StringComparison.Ordinal);
        Assert.Equal(["x"], await Conform.ConfigMapNamesAsync(target, ns));
        var after = await Client.CoreV1.ReadNamespacedConfigMapAsync("x", ns);
        Assert.Equal(existing.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Update_InvalidChange_Returns422AndKeepsTheOldObject()
    {
        var ns = await target.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("keep", new Dictionary<string, string> { ["k"] = "v" }), ns);
        var changed = Conform.ConfigMap("keep", new Dictionary<string, string> { ["k"] = "changed" }, new Dictionary<string, string> { ["bad label!"] = "x" });
        await Conform.FailsAsync(HttpStatusCode.UnprocessableEntity, () => Client.CoreV1.ReplaceNamespacedConfigMapAsync(changed, "keep", ns));
        var after = await Client.CoreV1.ReadNamespacedConfigMapAsync("keep", ns);
        Assert.Equal(created.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal("v", after.Data["k"]);
    }

    public static TheoryData<string, string> NotFoundPath_TestData() => new()
    {
        { "unknown core resource", "api/v1/namespaces/default/widgets" },
        { "unknown group", "apis/nothing.example.com/v1/widgets" },
        { "unknown version of a known group", "apis/apps/v9/deployments" },
        { "missing object", "api/v1/namespaces/default/configmaps/does-not-exist" },
    };

    [Theory]
    [MemberData(nameof(NotFoundPath_TestData))]
    public async Task Get_UnknownResourceOrObject_Returns404(string caseName, string path)
    {
        _ = caseName;
        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Get, path);
        Assert.True(code == HttpStatusCode.NotFound, $"{(int)code}: {text}");
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404()
    {
        var e = await Conform.FailsAsync(HttpStatusCode.NotFound,
            () => Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("x"), "no-such-namespace-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Contains("namespaces", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InTerminatingNamespace_Returns403Forbidden()
    {
        var ns = await target.NewNamespaceAsync("term");
        // A finalizer on an object inside keeps the namespace Terminating until it is removed.
        var held = Conform.ConfigMap("held");
        held.Metadata.Finalizers = ["conformance.example.com/hold"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(held, ns);
        await Client.CoreV1.DeleteNamespaceAsync(ns);
        await Eventually.WaitAsync(async () => (await Client.CoreV1.ReadNamespaceAsync(ns)).Status?.Phase == "Terminating", what: "namespace Terminating");
        try
        {
            var e = await Conform.FailsAsync(HttpStatusCode.Forbidden, () => Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("late"), ns));
            Assert.Contains("being terminated", e.Response.Content, StringComparison.Ordinal);
        }
        finally
        {
            await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns);
        }
        await Eventually.WaitAsync(async () =>
        {
            try { await Client.CoreV1.ReadNamespaceAsync(ns); return false; }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return true; }
        }, TimeSpan.FromSeconds(60), "namespace gone");
    }

    [Fact]
    public async Task Create_BodyOver3MiB_Returns413AndStoresNothing()
    {
        var ns = await target.NewNamespaceAsync();
        var big = Conform.ConfigMap("big", new Dictionary<string, string> { ["blob"] = new string('x', 3 * 1024 * 1024 + 1024) });
        await Conform.FailsAsync(HttpStatusCode.RequestEntityTooLarge, () => Client.CoreV1.CreateNamespacedConfigMapAsync(big, ns));
        Assert.Empty(await Conform.ConfigMapNamesAsync(target, ns));
    }

    [Fact]
    public async Task Create_ExistingName_Returns409AlreadyExists()
    {
        var ns = await target.NewNamespaceAsync();
        var first = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("dup", new Dictionary<string, string> { ["k"] = "1" }), ns);
        var e = await Conform.FailsAsync(HttpStatusCode.Conflict,
            () => Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("dup", new Dictionary<string, string> { ["k"] = "2" }), ns));
        Assert.Contains("AlreadyExists", e.Response.Content, StringComparison.Ordinal);
        var after = await Client.CoreV1.ReadNamespacedConfigMapAsync("dup", ns);
        Assert.Equal(first.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }
}
