using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>The life of a CustomResourceDefinition and its objects (pruning, defaulting, validation, removal).</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CrdLifecycleTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    [Fact]
    public async Task CreateCrd_ThenObject_ServesPrunesAndDefaults()
    {
        await using var crd = await TestCrd.CreateAsync(Client);
        var ns = await target.NewNamespaceAsync();
        var body = crd.New("w1", new JsonObject { ["size"] = 3, ["unknownField"] = "dropped" });
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<Widget>(body, crd.Group, TestCrd.Version, ns, crd.Plural);
        Assert.Equal(crd.Kind, created.Kind);
        Assert.Equal(crd.ApiVersion, created.ApiVersion);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(3, (int)created.Spec!["size"]!);
        Assert.Equal("blue", (string?)created.Spec["color"]);
        Assert.False(created.Spec.ContainsKey("unknownField"));

        var read = await Client.CustomObjects.GetNamespacedCustomObjectAsync<Widget>(crd.Group, TestCrd.Version, ns, crd.Plural, "w1");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        var generic = new GenericClient(Client, crd.Group, TestCrd.Version, crd.Plural, disposeClient: false);
        var list = await generic.ListNamespacedAsync<WidgetList>(ns);
        Assert.Equal(["w1"], list.Items.Select(i => i.Metadata.Name));
    }

    public static TheoryData<string, string> Invalid_TestData() => new()
    {
        { "below minimum", """{"size":0}""" },
        { "wrong type", """{"size":"three"}""" },
        { "string where integer expected in color", """{"color":7}""" },
    };

    [Theory]
    [MemberData(nameof(Invalid_TestData))]
    public async Task CreateObject_ViolatingSchema_Returns422(string caseName, string spec)
    {
        _ = caseName;
        await using var crd = await TestCrd.CreateAsync(Client);
        var ns = await target.NewNamespaceAsync();
        var e = await Conform.FailsAsync(HttpStatusCode.UnprocessableEntity,
            () => Client.CustomObjects.CreateNamespacedCustomObjectAsync<Widget>(crd.New("bad", JsonNode.Parse(spec)!.AsObject()), crd.Group, TestCrd.Version, ns, crd.Plural));
        Assert.Contains("spec.", e.Response.Content, StringComparison.Ordinal);
        var list = await new GenericClient(Client, crd.Group, TestCrd.Version, crd.Plural, disposeClient: false).ListNamespacedAsync<WidgetList>(ns);
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task ClusterScopedCrd_Object_HasNoNamespace()
    {
        await using var crd = await TestCrd.CreateAsync(Client, namespaced: false);
        var name = "g" + Guid.NewGuid().ToString("N")[..8];
        var created = await Client.CustomObjects.CreateClusterCustomObjectAsync<Widget>(crd.New(name, new JsonObject { ["size"] = 1 }), crd.Group, TestCrd.Version, crd.Plural);
        Assert.Null(created.Metadata.NamespaceProperty);
        var read = await Client.CustomObjects.GetClusterCustomObjectAsync<Widget>(crd.Group, TestCrd.Version, crd.Plural, name);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"apis/{crd.Group}/{TestCrd.Version}/namespaces/default/{crd.Plural}/{name}");
        Assert.True(code == HttpStatusCode.NotFound, $"{(int)code}: {text}");
    }

    [Fact]
    public async Task StatusSubresource_CustomResource_SeparatesSpecAndStatus()
    {
        await using var crd = await TestCrd.CreateAsync(Client);
        var ns = await target.NewNamespaceAsync();
        var body = crd.New("s1", new JsonObject { ["size"] = 1 });
        body.Status = new JsonObject { ["ready"] = true };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<Widget>(body, crd.Group, TestCrd.Version, ns, crd.Plural);
        Assert.Null(created.Status);

        var status = await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<Widget>(
            new V1Patch("""{"spec":{"size":9},"status":{"ready":true}}""", V1Patch.PatchType.MergePatch), crd.Group, TestCrd.Version, ns, crd.Plural, "s1");
        Assert.Equal(true, (bool?)status.Status!["ready"]);
        Assert.Equal(1, (int)status.Spec!["size"]!);
        Assert.Equal(1, status.Metadata.Generation);

        var spec = await Client.CustomObjects.PatchNamespacedCustomObjectAsync<Widget>(
            new V1Patch("""{"spec":{"size":5},"status":{"ready":false}}""", V1Patch.PatchType.MergePatch), crd.Group, TestCrd.Version, ns, crd.Plural, "s1");
        Assert.Equal(5, (int)spec.Spec!["size"]!);
        Assert.Equal(true, (bool?)spec.Status!["ready"]);
        Assert.Equal(2, spec.Metadata.Generation);
    }

    [Fact]
    public async Task DeleteCrd_WithObjects_RemovesObjectsAndStopsServing()
    {
        var crd = await TestCrd.CreateAsync(Client);
        var ns = await target.NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<Widget>(crd.New("doomed", new JsonObject { ["size"] = 2 }), crd.Group, TestCrd.Version, ns, crd.Plural);
        await crd.DisposeAsync();
        await Eventually.WaitAsync(async () =>
        {
            try { await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Name); return false; }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return true; }
        }, TimeSpan.FromSeconds(60), "CRD gone");
        await Eventually.WaitAsync(async () =>
        {
            var (code, _, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"apis/{crd.Group}/{TestCrd.Version}/namespaces/{ns}/{crd.Plural}");
            return code == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(60), "resource no longer served");
        var (groupCode, _, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"apis/{crd.Group}");
        Assert.Equal(HttpStatusCode.NotFound, groupCode);
    }

    [Fact]
    public async Task CreateCrd_InvalidDefinition_Returns422()
    {
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "wrongname.conformance.example.com" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "conformance.example.com",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "things", Kind = "Thing" },
                Versions = [new V1CustomResourceDefinitionVersion { Name = "v1", Served = true, Storage = true, Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object" } } }],
            },
        };
        await Conform.FailsAsync(HttpStatusCode.UnprocessableEntity, () => Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));
    }
}
