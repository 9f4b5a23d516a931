using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// metadata.uid on update. An update (PUT) whose body carries a uid makes it a storage
/// precondition: another uid is a 409 Conflict from etcd3's store, before the resourceVersion is
/// compared. A patch or apply that changes the uid fails ValidateObjectMetaUpdate: 422 with
/// <c>metadata.uid: Invalid value: "...": field is immutable</c>, listed twice because the
/// registry's common field validation and the kind's strategy both check it.
/// </summary>
internal static class UidPrecondition
{
    public static void CheckUpdate(ResourceType type, string? ns, string name, JsonObject body, JsonObject old)
    {
        var uid = ObjectMeta.Str(body, "uid") ?? "";
        var oldUid = ObjectMeta.Str(old, "uid") ?? "";
        if (uid.Length == 0 || uid == oldUid) return;
        throw StatusException.ConflictMessage(type, name,
            $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": StorageError: invalid object, Code: 4, Key: {StorageKey(type, ns, name)}, "
            + $"ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: {uid}, UID in object meta: {oldUid}");
    }

    public static void CheckPatch(ResourceType type, string name, JsonObject patched, JsonObject old)
    {
        var uid = ObjectMeta.Str(patched, "uid") ?? "";
        if (uid.Length == 0 || uid == (ObjectMeta.Str(old, "uid") ?? "")) return;
        var cause = new Cause("FieldValueInvalid", $"Invalid value: {GoFormat.Quote(uid)}: {UpdateValidation.Immutable}", "metadata.uid");
        throw StatusException.Invalid(type, name, [cause, cause]);
    }

    /// <summary>The etcd key kube-apiserver stores the object under (its default prefixes; the storage's resource).</summary>
    private static string StorageKey(ResourceType type, string? ns, string name)
    {
        var (group, resource) = type.GroupResource;
        var prefix = (group, resource) switch
        {
            ("", "services") => "services/specs",
            ("", "endpoints") => "services/endpoints",
            ("", "nodes") => "minions",
            ("", _) or ("apps" or "batch" or "autoscaling" or "policy" or "rbac.authorization.k8s.io" or "networking.k8s.io" or "storage.k8s.io"
                or "scheduling.k8s.io" or "coordination.k8s.io" or "discovery.k8s.io" or "events.k8s.io" or "certificates.k8s.io" or "node.k8s.io"
                or "admissionregistration.k8s.io" or "apiextensions.k8s.io" or "apiregistration.k8s.io" or "flowcontrol.apiserver.k8s.io", _) => resource,
            _ => $"{group}/{resource}",
        };
        return type.Namespaced ? $"/registry/{prefix}/{ns}/{name}" : $"/registry/{prefix}/{name}";
    }
}
