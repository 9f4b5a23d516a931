using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>
/// apiextensions-apiserver's part: a created CRD is served (NamesAccepted, Established); a deleted
/// one (which <see cref="ObjectDeleter"/> gave the cleanup finalizer, as the CRD delete handler does)
/// has its custom resources removed, then its finalizer, then it stops being served.
/// </summary>
internal sealed class CrdController(ControllerContext context) : IController
{
    public const string CleanupFinalizer = ObjectDeleter.CrdCleanupFinalizer;
    private static readonly GroupResource Crds = new("apiextensions.k8s.io", "customresourcedefinitions");

    public void OnEvent(StoreEvent e)
    {
        if (e.Key.Resource != Crds) return;
        var crd = e.Object;
        if (e.Type == StoreEventType.Deleted)
        {
            context.Custom.Unregister(crd);
            return;
        }
        if (ObjectMeta.IsDeleting(crd))
        {
            CleanUp(crd);
            return;
        }
        context.Custom.Register(crd);
        if (!IsEstablished(crd)) Establish(crd);
    }

    private static bool IsEstablished(JsonObject crd) =>
        crd["status"]?["conditions"] is JsonArray conditions &&
        conditions.Any(c => (string?)c?["type"] == "Established" && (string?)c?["status"] == "True");

    private void Establish(JsonObject crd)
    {
        var now = ObjectMeta.Timestamp(context.Clock.Now);
        var names = crd["spec"]!["names"]!.DeepClone().AsObject();
        var status = crd["status"]?.DeepClone() as JsonObject ?? new JsonObject();
        status["conditions"] = new JsonArray(
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now));
        status["acceptedNames"] = names;
        status["storedVersions"] ??= new JsonArray([.. StorageVersions(crd)]);
        // apiextensions-apiserver runs inside kube-apiserver: its status writes are kube-apiserver's.
        context.UpdateStatus(context.Type("apiextensions.k8s.io", "customresourcedefinitions"), crd, status, "kube-apiserver");
    }

    private static IEnumerable<JsonNode> StorageVersions(JsonObject crd) =>
        (crd["spec"]?["versions"] as JsonArray ?? [])
            .Where(v => v?["storage"]?.GetValue<bool>() == true)
            .Select(v => (JsonNode)(string)v!["name"]!);

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message,
    };

    private void CleanUp(JsonObject crd)
    {
        if (!ObjectMeta.Finalizers(crd).Contains(CleanupFinalizer)) return;
        var group = (string)crd["spec"]!["group"]!;
        var plural = (string)crd["spec"]!["names"]!["plural"]!;
        var resource = new GroupResource(group, plural);
        var type = context.TypeOf(resource);
        if (type is not null)
        {
            foreach (var key in context.Store.Transact(tx => tx.Keys(resource, null)))
                ControllerContext.Try(() => context.Deleter.Delete(type, type.Namespaced ? key.Namespace : null, key.Name, new DeleteOptions(Propagation.Background, null, null, false)));
            if (context.Store.Transact(tx => tx.Keys(resource, null).Any())) return;
        }
        var updated = crd.DeepClone().AsObject();
        var finalizers = ObjectMeta.Finalizers(updated).Where(f => f != CleanupFinalizer).Select(f => (JsonNode)f).ToArray();
        ObjectMeta.Meta(updated)["finalizers"] = new JsonArray(finalizers);
        var crdType = context.Type("apiextensions.k8s.io", "customresourcedefinitions");
        context.Writer.Update(crdType, null, ObjectMeta.Name(crd), updated, new WriteOptions(WriteOperation.Update, "kube-apiserver", null, false));
    }
}
