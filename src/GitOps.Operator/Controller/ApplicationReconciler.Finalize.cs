using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Engine.Policy;
using GitOps.Engine.Policy.Guardrails;
using GitOps.Engine.Policy.Projects;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using GitOps.Operator.Render;
using GitOps.Operator.Source;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>The cascade delete of an Application that goes, as the service account it writes as.</summary>
public sealed partial class ApplicationReconciler
{
    /// <summary>Deleting an Application: with the cascade finalizer, delete what it manages first.</summary>
    private async Task<ReconcileResult> FinalizeAsync(JsonObject app, CancellationToken ct)
    {
        var finalizers = (app["metadata"]?["finalizers"] as JsonArray)?.Select(f => (string?)f).OfType<string>().ToList() ?? [];
        if (!finalizers.Contains(Annotations.CascadeFinalizer)) return ReconcileResult.Done;
        var ns = (string)app["metadata"]!["namespace"]!;
        var name = (string)app["metadata"]!["name"]!;
        var identity = new AppIdentity(ns, name);
        // The cascade delete is a write the Application causes: it runs as the same account as its applies
        // (its own, else its Project's, else --default-service-account), worked out as ReconcileContext does.
        ApplicationSpec spec;
        try { spec = ApplicationSpec.Parse(app); }
        catch (JsonException) { spec = new ApplicationSpec(); }
        var acting = new ReconcileContext(app, spec, time.GetUtcNow()) { DefaultServiceAccount = options.DefaultServiceAccount };
        try { acting.ProjectServiceAccount = (await projects.GetAsync(spec.Project, ct)).ServiceAccountName; }
        catch (Projects.ProjectException e) when (!e.Transient) { }
        var impersonate = acting.Impersonate;
        var remaining = 0;
        foreach (var entry in (app["status"]?["inventory"] as JsonArray ?? []).Select(e => (string?)e).OfType<string>().Where(IsInventoryEntry))
        {
            var key = ResourceKey.ParseInventory(entry);
            var resource = await discovery.FindByGroupKindAsync(key.Group, key.Kind, ct);
            if (resource is null) continue;
            var live = await cache.GetAsync(resource, key.Namespace, key.Name, ct);
            if (live is null) continue;
            var tracking = (string?)live["metadata"]?["annotations"]?[Annotations.TrackingId];
            if (tracking != identity.TrackingId(key)) continue;
            remaining++;
            if (live["metadata"]?["deletionTimestamp"] is null)
                await new Apply.ServerSideApplier(api).DeleteAsync(resource, key.Namespace.Length == 0 ? null : key.Namespace, key.Name, (string?)live["metadata"]?["uid"], ct, impersonate);
        }
        if (remaining > 0) return ReconcileResult.After(TimeSpan.FromSeconds(1));
        finalizers.Remove(Annotations.CascadeFinalizer);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]),
                ["resourceVersion"] = (string?)app["metadata"]?["resourceVersion"],
            },
        };
        await api.SendAsync(HttpMethod.Patch, $"/apis/gitops.dev/v1alpha1/namespaces/{Uri.EscapeDataString(ns)}/applications/{Uri.EscapeDataString(name)}",
            patch.ToJsonString(), "application/merge-patch+json", ct);
        log.LogInformation("deleted the objects of {Namespace}/{Name} and released its cascade finalizer", ns, name);
        return ReconcileResult.Done;
    }
}
