using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>
/// The namespace controller: a Terminating namespace has every object in it deleted, then its
/// "kubernetes" finalizer removed, and then it disappears.
/// </summary>
internal sealed class NamespaceController(ControllerContext context) : IController
{
    private static readonly GroupResource Namespaces = new("", "namespaces");

    public void OnEvent(StoreEvent e)
    {
        if (e.Key.Resource == Namespaces)
        {
            if (e.Type != StoreEventType.Deleted && ObjectMeta.IsDeleting(e.Object)) Drain(e.Key.Name);
            return;
        }
        // An object leaving a terminating namespace (deleted, or losing its last finalizer) may be the last one.
        if (e.Key.Namespace.Length > 0 && context.Store.Transact(tx => tx.Peek(new ObjectKey(Namespaces, "", e.Key.Namespace))) is { } ns && ObjectMeta.IsDeleting(ns))
            context.After(TimeSpan.Zero, () => Drain(e.Key.Namespace));
    }

    private void Drain(string ns)
    {
        var remaining = 0;
        foreach (var type in context.Registry.All.Where(t => t.Namespaced).DistinctBy(t => t.GroupResource))
        {
            foreach (var key in context.Store.Transact(tx => tx.Keys(type.GroupResource, ns)))
            {
                remaining++;
                ControllerContext.Try(() => context.Deleter.Delete(type, ns, key.Name, new DeleteOptions(Propagation.Background, null, null, false)));
            }
        }
        if (remaining > 0 && context.Registry.All.Where(t => t.Namespaced).DistinctBy(t => t.GroupResource)
                .Any(t => context.Store.Transact(tx => tx.Keys(t.GroupResource, ns).Any()))) return;
        Finalize(ns);
    }

    private void Finalize(string ns) => context.Store.Transact(tx =>
    {
        var key = new ObjectKey(Namespaces, "", ns);
        var current = tx.Peek(key);
        if (current is null || !ObjectMeta.IsDeleting(current)) return 0;
        if (ObjectMeta.Finalizers(current).Count > 0)
        {
            if (current["spec"]?["finalizers"] is JsonArray { Count: > 0 })
            {
                var updated = current.DeepClone().AsObject();
                updated["spec"] = new JsonObject();
                tx.Put(key, updated);
            }
            return 0;
        }
        tx.Remove(key);
        return 1;
    });
}
