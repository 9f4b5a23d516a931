using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Core v1 and events.k8s.io/v1 Events, and coordination.k8s.io Leases as leader election uses them.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EventsAndLeasesTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    [Fact]
    public async Task CoreEvent_CreateAndList_RoundTrips()
    {
        var ns = await target.NewNamespaceAsync();
        var cm = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("subject"), ns);
        var now = DateTime.UtcNow;
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "subject.1", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "subject", NamespaceProperty = ns, Uid = cm.Metadata.Uid },
            Reason = "Synced",
            Message = "applied by the conformance test",
            Type = "Normal",
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = "conformance" },
        };
        var created = await Client.CoreV1.CreateNamespacedEventAsync(ev, ns);
        Assert.Equal("Synced", created.Reason);
        var list = await Client.CoreV1.ListNamespacedEventAsync(ns);
        var item = Assert.Single(list.Items);
        Assert.Equal("applied by the conformance test", item.Message);
        Assert.Equal(cm.Metadata.Uid, item.InvolvedObject.Uid);
    }

    [Fact]
    public async Task EventsV1Event_CreateAndList_RoundTrips()
    {
        var ns = await target.NewNamespaceAsync();
        var ev = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "ev2" },
            EventTime = DateTime.UtcNow,
            ReportingController = "conformance.example.com/controller",
            ReportingInstance = "conformance-1",
            Action = "Apply",
            Reason = "Applied",
            Type = "Normal",
            Note = "events.k8s.io/v1",
            Regarding = new V1ObjectReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "x", NamespaceProperty = ns },
        };
        var created = await Client.EventsV1.CreateNamespacedEventAsync(ev, ns);
        Assert.Equal("Applied", created.Reason);
        var list = await Client.EventsV1.ListNamespacedEventAsync(ns);
        Assert.Equal("events.k8s.io/v1", Assert.Single(list.Items).Note);
    }

    [Fact]
    public async Task EventsV1Event_ReadThroughCoreV1_IsTheSameObject()
    {
        var ns = await target.NewNamespaceAsync();
        await Client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "both" }, EventTime = DateTime.UtcNow, ReportingController = "conformance.example.com/c",
            ReportingInstance = "i", Action = "Apply", Reason = "Applied", Type = "Normal",
            Regarding = new V1ObjectReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "x", NamespaceProperty = ns },
        }, ns);
        Assert.Equal("Applied", (await Client.CoreV1.ReadNamespacedEventAsync("both", ns)).Reason);
    }

    [Fact]
    public async Task CoreEvent_ListByInvolvedObjectName_FiltersEvents()
    {
        var ns = await target.NewNamespaceAsync();
        var list = await Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=subject");
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task EventsV1Event_WithoutRequiredFields_Returns422()
    {
        var ns = await target.NewNamespaceAsync();
        var ev = new Eventsv1Event { Metadata = new V1ObjectMeta { Name = "bad" }, Reason = "x" };
        await Conform.FailsAsync(System.Net.HttpStatusCode.UnprocessableEntity, () => Client.EventsV1.CreateNamespacedEventAsync(ev, ns));
    }

    [Fact]
    public async Task Lease_CreateAndRenew_UpdatesHolderAndRejectsStaleWriter()
    {
        var ns = await target.NewNamespaceAsync();
        var acquired = DateTime.UtcNow;
        var lease = await Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "leader" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, AcquireTime = acquired, RenewTime = acquired, LeaseTransitions = 0 },
        }, ns);
        Assert.Equal("a", lease.Spec.HolderIdentity);

        var stale = await Client.CoordinationV1.ReadNamespacedLeaseAsync("leader", ns);
        lease.Spec.RenewTime = DateTime.UtcNow;
        var renewed = await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", ns);
        Assert.True(Conform.Rv(renewed) > Conform.Rv(lease));

        stale.Spec.HolderIdentity = "b";
        stale.Spec.LeaseTransitions = 1;
        await Conform.FailsAsync(System.Net.HttpStatusCode.Conflict, () => Client.CoordinationV1.ReplaceNamespacedLeaseAsync(stale, "leader", ns));
        var read = await Client.CoordinationV1.ReadNamespacedLeaseAsync("leader", ns);
        Assert.Equal("a", read.Spec.HolderIdentity);
        Assert.NotNull(read.Spec.RenewTime);
        Assert.InRange(read.Spec.RenewTime!.Value, acquired.AddSeconds(-1), DateTime.UtcNow.AddMinutes(1));
    }
}
