using System.Net;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>resourceVersion as an optimistic lock (API concepts: "Resource versions", "Conflicts").</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OptimisticConcurrencyTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    public static TheoryData<string, string> StaleWrite_TestData() => new()
    {
        { "replace", "replace" },
        { "merge patch carrying resourceVersion", "merge" },
        { "json patch test-free replace of data", "json" },
        { "delete with resourceVersion precondition", "delete" },
    };

    [Theory]
    [MemberData(nameof(StaleWrite_TestData))]
    public async Task Write_WithStaleResourceVersion_Returns409Conflict(string caseName, string how)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var first = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("occ", new Dictionary<string, string> { ["n"] = "0" }), ns);
        var stale = first.Metadata.ResourceVersion;
        var current = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"n":"1"}}""", V1Patch.PatchType.MergePatch), "occ", ns);
        Task call() => how switch
        {
            "replace" => Client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "occ", ns),
            "merge" => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$$"""{"metadata":{"resourceVersion":"{{{stale}}}"},"data":{"n":"2"}}""", V1Patch.PatchType.MergePatch), "occ", ns),
            "json" => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$"""[{"op":"replace","path":"/metadata/resourceVersion","value":"{{stale}}"},{"op":"replace","path":"/data/n","value":"2"}]""", V1Patch.PatchType.JsonPatch), "occ", ns),
            _ => Client.CoreV1.DeleteNamespacedConfigMapAsync("occ", ns, new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = stale } }),
        };
        var e = await Conform.FailsAsync(HttpStatusCode.Conflict, call);
        Assert.Contains("\"reason\":\"Conflict\"", e.Response.Content, StringComparison.Ordinal);
        var after = await Client.CoreV1.ReadNamespacedConfigMapAsync("occ", ns);
        Assert.Equal(current.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal("1", after.Data["n"]);
    }

    [Fact]
    public async Task Replace_WithoutResourceVersion_IsUnconditional()
    {
        var ns = await target.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("free", new Dictionary<string, string> { ["n"] = "0" }), ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"n":"1"}}""", V1Patch.PatchType.MergePatch), "free", ns);
        var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(Conform.ConfigMap("free", new Dictionary<string, string> { ["n"] = "2" }), "free", ns);
        Assert.Equal("2", replaced.Data["n"]);
    }

    [Fact]
    public async Task Replace_WithCurrentResourceVersion_Succeeds()
    {
        var ns = await target.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("cur", new Dictionary<string, string> { ["n"] = "0" }), ns);
        created.Data["n"] = "1";
        var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cur", ns);
        Assert.True(Conform.Rv(replaced) > Conform.Rv(created));
    }
}
