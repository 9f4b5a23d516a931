using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// Deletion as kube-apiserver does it: preconditions, finalizers holding an object with
/// deletionTimestamp set, Foreground/Orphan adding their finalizers for the garbage collector,
/// namespaces moving to Terminating until the namespace controller empties them, CRDs getting
/// their cleanup finalizer until the CRD controller has removed their custom resources.
/// </summary>
public sealed class ObjectDeleter(ObjectStore store, IClock clock)
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";
    public const string CrdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    public JsonObject Delete(ResourceType type, string? ns, string name, DeleteOptions options) => store.Transact(tx =>
    {
        var key = new ObjectKey(type.GroupResource, ns ?? "", name);
        var old = tx.Peek(key) ?? throw StatusException.NotFound(type, name);
        CheckPreconditions(type, name, old, options);
        if (type is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" } && !ObjectMeta.IsDeleting(old))
            return MarkCrdForDeletion(tx, key, old, options);
        var updated = old.DeepClone().AsObject();
        var meta = ObjectMeta.Meta(updated);
        var finalizers = ObjectMeta.Finalizers(updated);
        if (options.Policy == Propagation.Foreground && !finalizers.Contains(ForegroundFinalizer)) finalizers.Add(ForegroundFinalizer);
        if (options.Policy == Propagation.Orphan && !finalizers.Contains(OrphanFinalizer)) finalizers.Add(OrphanFinalizer);
        if (options.Policy == Propagation.Background) finalizers.RemoveAll(f => f is ForegroundFinalizer or OrphanFinalizer);
        var namespaceHeld = type is { Group: "", Plural: "namespaces" } && updated["spec"]?["finalizers"] is JsonArray { Count: > 0 };

        if (finalizers.Count == 0 && !namespaceHeld)
        {
            if (options.DryRun) return updated;
            return tx.Remove(key)!.DeepClone().AsObject();
        }
        if (finalizers.Count > 0) meta["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        if (!ObjectMeta.IsDeleting(updated))
        {
            meta["deletionTimestamp"] = ObjectMeta.Timestamp(clock.Now);
            meta["deletionGracePeriodSeconds"] = 0;
            if (GenerationRules.Tracks(type)) meta["generation"] = (ObjectMeta.Long(updated, "generation") ?? 0) + 1;
            if (namespaceHeld) updated["status"] = new JsonObject { ["phase"] = "Terminating" };
        }
        updated = ObjectMeta.Canonical(updated);
        if (JsonNode.DeepEquals(updated, old) || options.DryRun) return updated;
        return tx.Put(key, updated).DeepClone().AsObject();
    });

    /// <summary>
    /// apiextensions-apiserver's CRD delete: the first request only sets deletionTimestamp, adds the
    /// cleanup finalizer and a Terminating condition (no grace period, no generation bump, no
    /// propagation finalizers, managedFields untouched); the CRD controller then deletes the custom
    /// resources and removes the finalizer. Later deletes take the generic path.
    /// </summary>
    private JsonObject MarkCrdForDeletion(ObjectStore.Transaction tx, ObjectKey key, JsonObject old, DeleteOptions options)
    {
        var now = ObjectMeta.Timestamp(clock.Now);
        var updated = old.DeepClone().AsObject();
        var meta = ObjectMeta.Meta(updated);
        meta["deletionTimestamp"] = now;
        var finalizers = ObjectMeta.Finalizers(updated);
        if (!finalizers.Contains(CrdCleanupFinalizer)) finalizers.Add(CrdCleanupFinalizer);
        meta["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        var status = updated["status"] as JsonObject ?? (JsonObject)(updated["status"] = new JsonObject());
        var conditions = status["conditions"] as JsonArray ?? (JsonArray)(status["conditions"] = new JsonArray());
        var terminating = new JsonObject
        {
            ["type"] = "Terminating", ["status"] = "True", ["lastTransitionTime"] = now,
            ["reason"] = "InstanceDeletionPending",
            ["message"] = "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
        };
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Terminating");
        if (existing is null) conditions.Add((JsonNode)terminating);
        else
        {
            if ((string?)existing["status"] == "True") terminating["lastTransitionTime"] = existing["lastTransitionTime"]?.DeepClone();
            conditions[conditions.IndexOf(existing)] = terminating;
        }
        updated = ObjectMeta.Canonical(updated);
        if (options.DryRun) return updated;
        return tx.Put(key, updated).DeepClone().AsObject();
    }

    private static void CheckPreconditions(ResourceType type, string name, JsonObject old, DeleteOptions options)
    {
        var uid = ObjectMeta.Str(old, "uid");
        if (options.PreconditionUid is { } wantUid && wantUid != uid)
            throw StatusException.ConflictMessage(type, name,
                $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": Precondition failed: UID in precondition: {wantUid}, UID in object meta: {uid}");
        var rv = ObjectMeta.Str(old, "resourceVersion");
        if (options.PreconditionResourceVersion is { } wantRv && wantRv != rv)
            throw StatusException.ConflictMessage(type, name,
                $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": Precondition failed: ResourceVersion in precondition: {wantRv}, ResourceVersion in object meta: {rv}");
    }
}
