namespace GitOps.Sandbox.Store;

/// <summary>
/// Resources kube-apiserver serves from another resource's storage: events.k8s.io Events are the
/// core Events (pkg/registry/events/rest builds their REST storage with the core event store), so
/// they share one key space, resourceVersion sequence and watch history. Their NotFound,
/// AlreadyExists and Conflict errors still name the resource of the request
/// (<see cref="ResourceType.QualifiedResource"/>: "events.events.k8s.io"), while Invalid names the
/// core kind ("Event"), which the store's create and update strategies validate.
/// </summary>
public static class SharedStorage
{
    private static readonly GroupResource CoreEvents = new("", "events");

    public static GroupResource Of(GroupResource served) =>
        served == new GroupResource("events.k8s.io", "events") ? CoreEvents : served;
}
