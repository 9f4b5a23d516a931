using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Operator.Applications;
using GitOps.Operator.Apply;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;

namespace GitOps.Operator.Controller;

/// <summary>
/// Stage 5 and 6: runs a plan wave by wave: server-side apply of each object (errors collected per
/// object, never thrown), waiting for CRDs to be Established before their custom resources, and
/// prunes (only what the plan says; the uid precondition makes sure it is the object we saw).
/// </summary>
public sealed class PlanExecutor(IKubeApi api, ApiDiscovery discovery, ServerSideApplier applier, LiveStateComparer comparer, OperatorOptions options)
{
    public async Task ExecuteAsync(ReconcileContext ctx, SyncPlan plan, CancellationToken ct)
    {
        foreach (var wave in plan.Waves)
        {
            var applies = wave.Tasks.Where(t => t.Action == SyncAction.Apply && t.Desired is not null).ToList();
            await Parallel.ForEachAsync(applies, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
                async (task, token) => await ApplyOneAsync(ctx, task.Desired!, task.Live, token));
            foreach (var crd in applies.Where(t => t.Key is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" }))
                await WaitEstablishedAsync(ctx, crd.Desired!, ct);

            foreach (var task in wave.Tasks.Where(t => t.Action == SyncAction.Prune))
                await PruneOneAsync(ctx, task, ct);
        }
    }

    private async Task ApplyOneAsync(ReconcileContext ctx, Manifest manifest, JsonObject? live, CancellationToken ct)
    {
        try
        {
            var resource = await discovery.FindAsync(manifest.ApiVersion, manifest.Kind, ct);
            if (resource is null)
            {
                discovery.Invalidate(manifest.ApiVersion);
                resource = await discovery.FindAsync(manifest.ApiVersion, manifest.Kind, ct)
                    ?? throw new KubeApiException(404, "NotFound", $"the server does not serve {manifest.Kind} in {manifest.ApiVersion}");
            }
            JsonObject applied;
            try
            {
                // Fields ignoreDifferences ignores keep their live value: the next sync does not take them back.
                var body = IgnoredFields.Respect(manifest.ToJson(), live, LiveStateComparer.IgnoreRules(ctx.Spec));
                applied = await applier.ApplyAsync(resource, body, ct, ctx.Impersonate, ctx.FieldValidation);
            }
            catch (KubeApiException e) when (e.IsImmutableFieldChange && Forces(ctx, manifest))
            {
                applied = await RecreateAsync(ctx, resource, manifest, ct);
            }
            comparer.Remember(manifest, applied);
            lock (ctx)
            {
                ctx.LiveAfterSync[manifest.Key] = applied;
                ctx.Applied.Add(manifest.Key.ToString());
            }
        }
        catch (KubeApiException e) when (e.IsImmutableFieldChange)
        {
            lock (ctx) ctx.Errors[manifest.Key] = $"{manifest.Key}: {e.Message} (to delete and re-create it, annotate it in Git with {Annotations.SyncOptions}: Force=true)";
        }
        catch (KubeApiException e) when (!e.IsTransient)
        {
            lock (ctx) ctx.Errors[manifest.Key] = $"{manifest.Key}: {e.Message}";
        }
    }

    /// <summary>Force=true on the object (<see cref="Annotations.SyncOptions"/>) or in the Application's syncOptions.</summary>
    private static bool Forces(ReconcileContext ctx, Manifest manifest) =>
        ctx.Spec.SyncPolicy?.HasOption("Force=true") == true ||
        (manifest.Annotation(Annotations.SyncOptions) ?? "").Split(',', StringSplitOptions.TrimEntries).Contains("Force=true", StringComparer.Ordinal);

    /// <summary>
    /// Deletes the live object (only the one seen: uid precondition; its dependents by the garbage
    /// collector, in the background), waits until it is gone, and applies the desired one anew.
    /// </summary>
    private async Task<JsonObject> RecreateAsync(ReconcileContext ctx, ResourceInfo resource, Manifest manifest, CancellationToken ct)
    {
        var ns = resource.Namespaced ? manifest.Namespace : null;
        var path = resource.ObjectPath(ns, manifest.Name);
        var uid = (string?)(await api.GetAsync(path, ct))?["metadata"]?["uid"];
        await applier.DeleteAsync(resource, ns, manifest.Name, uid, ct, ctx.Impersonate);
        var deadline = DateTime.UtcNow + options.EstablishTimeout;
        while ((string?)(await api.GetAsync(path, ct))?["metadata"]?["uid"] is { } current && current == uid)
        {
            if (DateTime.UtcNow > deadline)
                throw new KubeApiException(409, "Conflict", $"{manifest.Key} was deleted to be re-created but is still there after {options.EstablishTimeout.TotalSeconds:0}s (a finalizer?)");
            await Task.Delay(100, ct);
        }
        lock (ctx) ctx.Recreated.Add(manifest.Key.ToString());
        return await applier.ApplyAsync(resource, manifest.ToJson(), ct, ctx.Impersonate, ctx.FieldValidation);
    }

    private async Task WaitEstablishedAsync(ReconcileContext ctx, Manifest crd, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + options.EstablishTimeout;
        var path = $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{Uri.EscapeDataString(crd.Name)}";
        while (DateTime.UtcNow < deadline)
        {
            var live = await api.GetAsync(path, ct);
            var established = (live?["status"]?["conditions"] as JsonArray)?.Any(c =>
                (string?)c?["type"] == "Established" && (string?)c?["status"] == "True") == true;
            if (established)
            {
                foreach (var v in live!["spec"]?["versions"] as JsonArray ?? [])
                    discovery.Invalidate($"{(string?)live["spec"]?["group"]}/{(string?)v?["name"]}");
                return;
            }
            await Task.Delay(100, ct);
        }
        lock (ctx) ctx.Errors[crd.Key] = $"{crd.Key}: not Established within {options.EstablishTimeout.TotalSeconds:0}s";
    }

    private async Task PruneOneAsync(ReconcileContext ctx, SyncTask task, CancellationToken ct)
    {
        try
        {
            var resource = await discovery.FindByGroupKindAsync(task.Key.Group, task.Key.Kind, ct);
            if (resource is null) return;
            var uid = (string?)task.Live?["metadata"]?["uid"];
            await applier.DeleteAsync(resource, task.Key.Namespace.Length == 0 ? null : task.Key.Namespace, task.Key.Name, uid, ct, ctx.Impersonate);
            lock (ctx) ctx.Pruned.Add(task.Key.ToString());
        }
        catch (KubeApiException e) when (!e.IsTransient)
        {
            lock (ctx) ctx.Errors[task.Key] = $"{task.Key}: prune failed: {e.Message}";
        }
    }
}
