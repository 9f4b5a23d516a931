using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Parallel writers against one server: optimistic concurrency means no lost updates.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConcurrencyTests(ApiTarget target)
{
    private const int Writers = 8;

    private Kubernetes Client => target.Client;

    public static TheoryData<string, int, bool> Counter_TestData() => new()
    {
        { "read-modify-write with replace", 15, false },
        { "read-modify-write with merge patch carrying resourceVersion", 15, true },
    };

    [Theory]
    [MemberData(nameof(Counter_TestData))]
    public async Task ParallelIncrements_RetryingOnConflict_LoseNoUpdate(string caseName, int incrementsEach, bool patch)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("counter", new Dictionary<string, string> { ["n"] = "0" }), ns);
        var versions = new ConcurrentBag<string>();
        var conflicts = 0;

        async Task Writer()
        {
            for (var i = 0; i < incrementsEach; i++)
            {
                while (true)
                {
                    var current = await Client.CoreV1.ReadNamespacedConfigMapAsync("counter", ns);
                    var next = (int.Parse(current.Data["n"], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                    try
                    {
                        V1ConfigMap written;
                        if (patch)
                        {
                            written = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
                                $$$"""{"metadata":{"resourceVersion":"{{{current.Metadata.ResourceVersion}}}"},"data":{"n":"{{{next}}}"}}""", V1Patch.PatchType.MergePatch), "counter", ns);
                        }
                        else
                        {
                            current.Data["n"] = next;
                            written = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(current, "counter", ns);
                        }
                        versions.Add(written.Metadata.ResourceVersion);
                        break;
                    }
                    catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(Writer)));
        var final = await Client.CoreV1.ReadNamespacedConfigMapAsync("counter", ns);
        Assert.Equal((Writers * incrementsEach).ToString(CultureInfo.InvariantCulture), final.Data["n"]);
        Assert.Equal(Writers * incrementsEach, versions.Distinct().Count());
        Assert.Contains(final.Metadata.ResourceVersion, versions);
    }

    [Fact]
    public async Task ParallelCreates_AllStoredWithUniqueResourceVersions()
    {
        var ns = await target.NewNamespaceAsync();
        const int each = 10;
        var created = new ConcurrentBag<V1ConfigMap>();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                created.Add(await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap($"c-{w}-{i}"), ns));
        })));
        Assert.Equal(Writers * each, created.Select(c => c.Metadata.ResourceVersion).Distinct().Count());
        Assert.Equal(Writers * each, created.Select(c => c.Metadata.Uid).Distinct().Count());
        Assert.Equal(Writers * each, (await Conform.ConfigMapNamesAsync(target, ns)).Count);
    }

    [Fact]
    public async Task ParallelCreates_OfOneName_ExactlyOneWins()
    {
        var ns = await target.NewNamespaceAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            try
            {
                await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("race", new Dictionary<string, string> { ["w"] = $"{w}" }), ns);
                return HttpStatusCode.Created;
            }
            catch (HttpOperationException e) { return e.Response.StatusCode; }
        })));
        Assert.Single(results, r => r == HttpStatusCode.Created);
        Assert.Equal(Writers - 1, results.Count(r => r == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task ParallelApplies_FromDistinctManagers_KeepEveryField()
    {
        var ns = await target.NewNamespaceAsync();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
            Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared"},"data":{"k{{{w}}}":"{{{w}}}"}}""", V1Patch.PatchType.ApplyPatch),
                "shared", ns, fieldManager: $"writer-{w}"))));
        var live = await Client.CoreV1.ReadNamespacedConfigMapAsync("shared", ns);
        Assert.Equal(Writers, live.Data.Count);
        Assert.Equal(Writers, live.Metadata.ManagedFields.Count(m => m.Operation == "Apply"));
    }
}
