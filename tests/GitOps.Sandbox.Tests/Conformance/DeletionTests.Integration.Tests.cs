using System.Net;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Finalizers, cascading deletion with ownerReferences, and deletecollection ("Garbage Collection", "Finalizers").</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeletionTests(ApiTarget target)
{
    private static readonly TimeSpan GcDeadline = TimeSpan.FromSeconds(60);

    private Kubernetes Client => target.Client;

    private async Task<bool> GoneAsync(string name, string ns)
    {
        try { await Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns); return false; }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return true; }
    }

    [Fact]
    public async Task Delete_WithFinalizer_HoldsObjectUntilFinalizerRemoved()
    {
        var ns = await target.NewNamespaceAsync();
        var cm = Conform.ConfigMap("held");
        cm.Metadata.Finalizers = ["conformance.example.com/hold"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);

        var held = await Client.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        Assert.NotNull(held.Metadata.DeletionTimestamp);
        Assert.Equal(["conformance.example.com/hold"], held.Metadata.Finalizers);

        // Deleting again changes nothing; adding a new finalizer while deleting is allowed, data changes too.
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        Assert.Equal(held.Metadata.DeletionTimestamp, (await Client.CoreV1.ReadNamespacedConfigMapAsync("held", ns)).Metadata.DeletionTimestamp);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns);
        Assert.True(await GoneAsync("held", ns));
    }

    [Fact]
    public async Task Create_WithDeletionTimestamp_IgnoresIt()
    {
        var ns = await target.NewNamespaceAsync();
        var cm = Conform.ConfigMap("fresh");
        cm.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        Assert.Null(created.Metadata.DeletionTimestamp);
    }

    public static TheoryData<string, string, bool> Propagation_TestData() => new()
    {
        { "background deletes the dependent after the owner", "Background", true },
        { "foreground deletes the dependent before the owner", "Foreground", true },
        { "orphan keeps the dependent and drops its owner reference", "Orphan", false },
    };

    [Theory]
    [MemberData(nameof(Propagation_TestData))]
    public async Task Delete_OwnerWithPropagationPolicy_TreatsDependentAsExpected(string caseName, string policy, bool dependentDeleted)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("owner"), ns);
        var dependent = Conform.ConfigMap("dependent");
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, ns);
        var unrelated = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("unrelated"), ns);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: policy);
        await Eventually.WaitAsync(() => GoneAsync("owner", ns), GcDeadline, "owner gone");
        if (dependentDeleted)
        {
            await Eventually.WaitAsync(() => GoneAsync("dependent", ns), GcDeadline, "dependent collected");
        }
        else
        {
            var orphan = await Eventually.WaitAsync(async () =>
            {
                var d = await Client.CoreV1.ReadNamespacedConfigMapAsync("dependent", ns);
                return d.Metadata.OwnerReferences is null or { Count: 0 } ? d : null;
            }, GcDeadline, "owner reference removed");
            Assert.Null(orphan.Metadata.DeletionTimestamp);
        }
        Assert.Equal(unrelated.Metadata.Uid, (await Client.CoreV1.ReadNamespacedConfigMapAsync("unrelated", ns)).Metadata.Uid);
    }

    [Fact]
    public async Task Delete_OwnerInForeground_IsHeldWhileADependentIsHeld()
    {
        var ns = await target.NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("fg-owner"), ns);
        var dependent = Conform.ConfigMap("fg-dependent");
        dependent.Metadata.Finalizers = ["conformance.example.com/hold"];
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "fg-owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, ns);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("fg-owner", ns, propagationPolicy: "Foreground");
        var deleting = await Client.CoreV1.ReadNamespacedConfigMapAsync("fg-owner", ns);
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        Assert.Contains("foregroundDeletion", deleting.Metadata.Finalizers);
        await Eventually.WaitAsync(async () => (await Client.CoreV1.ReadNamespacedConfigMapAsync("fg-dependent", ns)).Metadata.DeletionTimestamp is not null,
            GcDeadline, "dependent marked for deletion");
        Assert.False(await GoneAsync("fg-owner", ns));

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "fg-dependent", ns);
        await Eventually.WaitAsync(() => GoneAsync("fg-owner", ns), GcDeadline, "owner released");
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_DeletesOnlyMatches()
    {
        var ns = await target.NewNamespaceAsync();
        for (var i = 0; i < 3; i++)
            await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap($"batch{i}", labels: new Dictionary<string, string> { ["batch"] = "yes" }), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("keeper"), ns);
        await Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync(ns, labelSelector: "batch=yes");
        await Eventually.WaitAsync(async () => (await Conform.ConfigMapNamesAsync(target, ns)).SequenceEqual(["keeper"]), what: "only keeper left");
    }

    [Fact]
    public async Task Delete_WithStaleUidPrecondition_Returns409()
    {
        var ns = await target.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("pre"), ns);
        await Conform.FailsAsync(HttpStatusCode.Conflict,
            () => Client.CoreV1.DeleteNamespacedConfigMapAsync("pre", ns, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = Guid.NewGuid().ToString() } }));
        Assert.False(await GoneAsync("pre", ns));
    }

    [Fact]
    public async Task Delete_Missing_Returns404()
    {
        var ns = await target.NewNamespaceAsync();
        await Conform.FailsAsync(HttpStatusCode.NotFound, () => Client.CoreV1.DeleteNamespacedConfigMapAsync("never", ns));
    }
}
