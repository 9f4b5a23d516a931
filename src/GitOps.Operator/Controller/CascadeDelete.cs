using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Status;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// The cascade delete of an Application that goes (finalizer gitops.dev/cascade): the objects of its
/// inventory that still carry its tracking id are deleted, as the same user its applies act as, and
/// the finalizer is released once they are all gone.
/// </summary>
public sealed class CascadeDelete(IKubeApi api, ILogger<CascadeDelete> log)
{
    /// <summary>Deletes the Application's objects in its destination cluster, then releases its finalizer (in the operator's own cluster).</summary>
    public async Task<ReconcileResult> FinalizeAsync(Application app, WriteOptions write, DestinationCluster destination, CancellationToken ct)
    {
        var (discovery, cache, applier) = (destination.Discovery, destination.Cache, destination.Applier);
        if (!app.Finalizers.Contains(Annotations.CascadeFinalizer)) return ReconcileResult.Done;
        var remaining = 0;
        foreach (var entry in ApplicationStatus.Of(app.Object).InventoryEntries)
        {
            var key = ResourceKey.ParseInventory(entry);
            var resource = await discovery.FindByGroupKindAsync(key.Group, key.Kind, ct);
            if (resource is null) continue;
            var live = await cache.GetAsync(resource, key.Namespace, key.Name, ct);
            if (live is null) continue;
            var tracking = (string?)live["metadata"]?["annotations"]?[Annotations.TrackingId];
            if (tracking != app.Identity.TrackingId(key)) continue;
            remaining++;
            if (live["metadata"]?["deletionTimestamp"] is null)
                await applier.DeleteAsync(resource, key.Namespace.Length == 0 ? null : key.Namespace, key.Name, (string?)live["metadata"]?["uid"], write, ct);
        }
        if (remaining > 0) return ReconcileResult.After(TimeSpan.FromSeconds(1));
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. app.Finalizers.Where(f => f != Annotations.CascadeFinalizer).Select(f => (JsonNode)f)]),
                ["resourceVersion"] = app.ResourceVersion,
            },
        };
        await api.SendAsync(HttpMethod.Patch, ApplicationPaths.Object(app.Namespace, app.Name), patch.ToJsonString(), "application/merge-patch+json", ct);
        log.LogInformation("deleted the objects of {Application} and released its cascade finalizer", app);
        return ReconcileResult.Done;
    }
}
