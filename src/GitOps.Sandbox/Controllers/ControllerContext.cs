using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>What the simulated controllers share: the store, the write path and a way to act later.</summary>
internal sealed class ControllerContext(
    ObjectStore store, ResourceRegistry registry, CustomResources custom, ObjectWriter writer, ObjectDeleter deleter,
    IClock clock, SandboxOptions options, CancellationToken stopping)
{
    public const string Manager = "kube-controller-manager";

    public ObjectStore Store => store;
    public ResourceRegistry Registry => registry;
    public CustomResources Custom => custom;
    public ObjectWriter Writer => writer;
    public ObjectDeleter Deleter => deleter;
    public IClock Clock => clock;
    public SandboxOptions Options => options;

    public ResourceType Type(string group, string plural) =>
        registry.All.First(r => r.Group == group && r.Plural == plural);

    public ResourceType? TypeOf(GroupResource gr) => registry.All.FirstOrDefault(r => r.GroupResource == gr);

    private int _scheduled;

    /// <summary>Actions scheduled with <see cref="After"/> that have not finished yet.</summary>
    public int Scheduled => Volatile.Read(ref _scheduled);

    /// <summary>Runs <paramref name="action"/> after a delay, ignoring the races a real controller would retry.</summary>
    public void After(TimeSpan delay, Action action)
    {
        Interlocked.Increment(ref _scheduled);
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, stopping);
                Try(action);
            }
            catch (OperationCanceledException) { }
            finally { Interlocked.Decrement(ref _scheduled); }
        });
    }

    /// <summary>Runs an action whose conflicts and not-founds mean someone else got there first.</summary>
    public static void Try(Action action)
    {
        try { action(); }
        catch (StatusException e) when (e.Code is 404 or 409 or 422) { }
    }

    /// <summary>Writes <paramref name="status"/> through the status subresource, as <paramref name="manager"/> (the controller-manager by default).</summary>
    public void UpdateStatus(ResourceType type, JsonObject obj, JsonObject status, string manager = Manager)
    {
        var updated = obj.DeepClone().AsObject();
        updated["status"] = status;
        writer.Update(type, type.Namespaced ? ObjectMeta.Namespace(obj) : null, ObjectMeta.Name(obj), updated,
            new WriteOptions(WriteOperation.Update, manager, "status", false));
    }
}
