namespace GitOps.Sandbox.Store;

/// <summary>
/// Resources kube-apiserver serves from another resource's storage: events.k8s.io Events are the
/// core Events (pkg/registry/events/rest builds their REST storage with the core event store), so
/// they share one key space, resourceVersion sequence and watch history, and their Status errors
/// name the core resource ("events", kind "Event").
/// </summary>
public static class SharedStorage
{
    private static readonly GroupResource CoreEvents = new("", "events");

    public static GroupResource Of(GroupResource served) =>
        served == new GroupResource("events.k8s.io", "events") ? CoreEvents : served;
}
