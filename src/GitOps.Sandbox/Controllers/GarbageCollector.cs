using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>
/// The garbage collector: dependents whose owners are all gone are deleted (background);
/// an owner held by "foregroundDeletion" goes once its dependents are gone; one held by
/// "orphan" has its dependents' ownerReferences to it removed first.
/// </summary>
internal sealed class GarbageCollector(ControllerContext context) : IController
{
    public void OnEvent(StoreEvent e)
    {
        var uid = ObjectMeta.Str(e.Object, "uid");
        if (uid is null) return;
        if (e.Type == StoreEventType.Deleted)
        {
            CollectDependentsOf(uid, orphan: false);
            ReleaseForegroundOwners(e.Object);
            return;
        }
        var finalizers = ObjectMeta.Finalizers(e.Object);
        if (!ObjectMeta.IsDeleting(e.Object)) return;
        if (finalizers.Contains(ObjectDeleter.OrphanFinalizer))
        {
            CollectDependentsOf(uid, orphan: true);
            RemoveFinalizer(e.Key, ObjectDeleter.OrphanFinalizer);
        }
        else if (finalizers.Contains(ObjectDeleter.ForegroundFinalizer))
        {
            if (CollectDependentsOf(uid, orphan: false) == 0) RemoveFinalizer(e.Key, ObjectDeleter.ForegroundFinalizer);
        }
    }

    /// <summary>Deletes (or orphans) the dependents of an owner; returns how many remain.</summary>
    private int CollectDependentsOf(string ownerUid, bool orphan)
    {
        var dependents = context.Store.Transact(tx =>
            context.Registry.All.DistinctBy(t => t.GroupResource)
                .SelectMany(t => tx.Scan(t.GroupResource, null).Where(o => OwnerUids(o).Contains(ownerUid)).Select(o => (Type: t, Obj: o)))
                .ToList());
        foreach (var (type, obj) in dependents)
        {
            var ns = type.Namespaced ? ObjectMeta.Namespace(obj) : null;
            if (orphan)
            {
                Orphan(type, KeyOf(type, obj), ownerUid);
                continue;
            }
            if (OwnerUids(obj).Any(u => u != ownerUid && OwnerExists(u))) continue;
            if (ObjectMeta.IsDeleting(obj)) continue;
            ControllerContext.Try(() => context.Deleter.Delete(type, ns, ObjectMeta.Name(obj), new DeleteOptions(Propagation.Background, null, null, false)));
        }
        return orphan ? 0 : dependents.Count(d => context.Store.Get(KeyOf(d.Type, d.Obj)) is not null);
    }

    /// <summary>
    /// Drops the owner's reference from a dependent, from a fresh read each time another writer (a workload
    /// controller's status) got there first: kube's collector patches the references away with no
    /// resourceVersion precondition, so an orphan is never collected for a lost race.
    /// </summary>
    private void Orphan(ResourceType type, ObjectKey key, string ownerUid)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = context.Store.Get(key);
            if (current is null || !OwnerUids(current).Contains(ownerUid)) return;
            var refs = new JsonArray([.. (current["metadata"]!["ownerReferences"] as JsonArray)!.Where(r => (string?)r?["uid"] != ownerUid).Select(r => r!.DeepClone())]);
            if (refs.Count == 0) ObjectMeta.Meta(current).Remove("ownerReferences");
            else ObjectMeta.Meta(current)["ownerReferences"] = refs;
            try
            {
                context.Writer.Update(type, type.Namespaced ? key.Namespace : null, key.Name, current, new WriteOptions(WriteOperation.Update, "kube-controller-manager", null, false));
                return;
            }
            catch (StatusException e) when (e.Code == 409) { }
            catch (StatusException e) when (e.Code is 404 or 422) { return; }
        }
    }

    private void ReleaseForegroundOwners(JsonObject deleted)
    {
        foreach (var ownerUid in OwnerUids(deleted))
        {
            var owner = FindByUid(ownerUid);
            if (owner is { } o && ObjectMeta.IsDeleting(o.Obj) && ObjectMeta.Finalizers(o.Obj).Contains(ObjectDeleter.ForegroundFinalizer))
                context.After(TimeSpan.Zero, () =>
                {
                    if (CollectDependentsOf(ownerUid, orphan: false) == 0) RemoveFinalizer(KeyOf(o.Type, o.Obj), ObjectDeleter.ForegroundFinalizer);
                });
        }
    }

    private void RemoveFinalizer(ObjectKey key, string finalizer)
    {
        var type = context.TypeOf(key.Resource);
        var current = context.Store.Get(key);
        if (type is null || current is null) return;
        var remaining = ObjectMeta.Finalizers(current).Where(f => f != finalizer).Select(f => (JsonNode)f).ToArray();
        if (remaining.Length == 0) ObjectMeta.Meta(current).Remove("finalizers");
        else ObjectMeta.Meta(current)["finalizers"] = new JsonArray(remaining);
        context.Writer.Update(type, type.Namespaced ? key.Namespace : null, key.Name, current, new WriteOptions(WriteOperation.Update, "kube-controller-manager", null, false));
    }

    private bool OwnerExists(string uid) => FindByUid(uid) is not null;

    private (ResourceType Type, JsonObject Obj)? FindByUid(string uid) => context.Store.Transact(tx =>
    {
        foreach (var t in context.Registry.All.DistinctBy(t => t.GroupResource))
            foreach (var o in tx.Scan(t.GroupResource, null))
                if (ObjectMeta.Str(o, "uid") == uid) return ((ResourceType, JsonObject)?)(t, o);
        return null;
    });

    private static ObjectKey KeyOf(ResourceType type, JsonObject obj) =>
        new(type.GroupResource, type.Namespaced ? ObjectMeta.Namespace(obj) : "", ObjectMeta.Name(obj));

    private static IEnumerable<string> OwnerUids(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs ? refs.Select(r => (string?)r?["uid"]).OfType<string>() : [];
}
