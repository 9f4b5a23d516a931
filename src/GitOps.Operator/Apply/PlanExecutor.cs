using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Compare;

namespace GitOps.Operator.Apply;

/// <summary>
/// Stage 5 and 6: runs a plan wave by wave: server-side apply of each object (errors collected per
/// object, never thrown), waiting for CRDs to be Established before their custom resources, and
/// prunes (only what the plan says; the uid precondition makes sure it is the object we saw).
/// </summary>
public sealed class PlanExecutor(IKubeApi api, ApiDiscovery discovery, ServerSideApplier applier, LiveStateComparer comparer, ApplyOptions options)
{
    public async Task<ChangeSet> ExecuteAsync(Application app, WriteOptions write, SyncPlan plan, CancellationToken ct)
    {
        var log = new ChangeLog();
        foreach (var wave in plan.Waves)
        {
            var applies = wave.Tasks.Where(t => t.Action == SyncAction.Apply && t.Desired is not null).ToList();
            await Parallel.ForEachAsync(applies, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
                async (task, token) => log.Add(await ApplyOneAsync(app, write, task.Desired!, task.Live, token)));
            foreach (var crd in applies.Where(t => t.Key is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" }))
                if (await WaitEstablishedAsync(crd.Desired!, ct) is { } notEstablished) log.Add(notEstablished);

            foreach (var task in wave.Tasks.Where(t => t.Action == SyncAction.Prune))
                if (await PruneOneAsync(write, task, ct) is { } pruned) log.Add(pruned);
        }
        return log.ToChangeSet();
    }

    private async Task<Change> ApplyOneAsync(Application app, WriteOptions write, Manifest manifest, JsonObject? live, CancellationToken ct)
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
            Change change;
            try
            {
                // Fields ignoreDifferences ignores keep their live value: the next sync does not take them back.
                var body = IgnoredFields.Respect(manifest.ToJson(), live, LiveStateComparer.IgnoreRules(app.Spec));
                change = new Change(manifest.Key, ChangeAction.Applied, await applier.ApplyAsync(resource, body, write, ct));
            }
            catch (KubeApiException e) when (e.IsImmutableFieldChange && Forces(app, manifest))
            {
                change = new Change(manifest.Key, ChangeAction.Recreated, await RecreateAsync(write, resource, manifest, ct));
            }
            comparer.Remember(manifest, change.Live!);
            return change;
        }
        catch (KubeApiException e) when (e.IsImmutableFieldChange)
        {
            return Failed(manifest.Key, $"{manifest.Key}: {e.Message} (to delete and re-create it, annotate it in Git with {Annotations.SyncOptions}: Force=true)");
        }
        catch (KubeApiException e) when (!e.IsTransient)
        {
            return Failed(manifest.Key, $"{manifest.Key}: {e.Message}");
        }
    }

    private static Change Failed(ResourceKey key, string error) => new(key, ChangeAction.Failed, Error: error);

    /// <summary>Force=true on the object (<see cref="Annotations.SyncOptions"/>) or in the Application's syncOptions.</summary>
    private static bool Forces(Application app, Manifest manifest) =>
        app.Spec.SyncPolicy?.HasOption("Force=true") == true ||
        (manifest.Annotation(Annotations.SyncOptions) ?? "").Split(',', StringSplitOptions.TrimEntries).Contains("Force=true", StringComparer.Ordinal);

    /// <summary>
    /// Deletes the live object (only the one seen: uid precondition; its dependents by the garbage
    /// collector, in the background), waits until it is gone, and applies the desired one anew.
    /// </summary>
    private async Task<JsonObject> RecreateAsync(WriteOptions write, ResourceInfo resource, Manifest manifest, CancellationToken ct)
    {
        var ns = resource.Namespaced ? manifest.Namespace : null;
        var path = resource.ObjectPath(ns, manifest.Name);
        var uid = (string?)(await api.GetAsync(path, ct))?["metadata"]?["uid"];
        await applier.DeleteAsync(resource, ns, manifest.Name, uid, write, ct);
        var deadline = DateTime.UtcNow + options.EstablishTimeout;
        while ((string?)(await api.GetAsync(path, ct))?["metadata"]?["uid"] is { } current && current == uid)
        {
            if (DateTime.UtcNow > deadline)
                throw new KubeApiException(409, "Conflict", $"{manifest.Key} was deleted to be re-created but is still there after {options.EstablishTimeout.TotalSeconds:0}s (a finalizer?)");
            await Task.Delay(100, ct);
        }
        return await applier.ApplyAsync(resource, manifest.ToJson(), write, ct);
    }

    /// <summary>Waits for a CRD to be Established (then its kinds are looked up again); a failure when it is not in time.</summary>
    private async Task<Change?> WaitEstablishedAsync(Manifest crd, CancellationToken ct)
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
                return null;
            }
            await Task.Delay(100, ct);
        }
        return Failed(crd.Key, $"{crd.Key}: not Established within {options.EstablishTimeout.TotalSeconds:0}s");
    }

    private async Task<Change?> PruneOneAsync(WriteOptions write, SyncTask task, CancellationToken ct)
    {
        try
        {
            var resource = await discovery.FindByGroupKindAsync(task.Key.Group, task.Key.Kind, ct);
            if (resource is null) return null;
            var uid = (string?)task.Live?["metadata"]?["uid"];
            await applier.DeleteAsync(resource, task.Key.Namespace.Length == 0 ? null : task.Key.Namespace, task.Key.Name, uid, write, ct);
            return new Change(task.Key, ChangeAction.Pruned);
        }
        catch (KubeApiException e) when (!e.IsTransient)
        {
            return Failed(task.Key, $"{task.Key}: prune failed: {e.Message}");
        }
    }
}
