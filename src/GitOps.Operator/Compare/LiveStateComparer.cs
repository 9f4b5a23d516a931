using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Compare;

/// <summary>
/// Stage 3: the live side of every desired and previously applied object, from the watch-fed
/// caches (never a GET), and a comparison of each desired object with it. A comparison is a
/// server-side apply dry run (so server defaults and other managers' fields never count as drift),
/// cached by (desired hash, live content hash): an unchanged application costs no request.
/// </summary>
public sealed class LiveStateComparer(ApiDiscovery discovery, ManagedObjectCache cache, ServerSideApplier applier, DiffCache diffs)
{
    public async Task<LiveState> CompareAsync(Application app, WriteOptions write, IReadOnlyList<Manifest> desired, Engine.Inventory.Inventory previous, CancellationToken ct)
    {
        var options = DiffOptions.Default with { IgnoreDifferences = IgnoreRules(app.Spec) };
        var result = new Dictionary<ResourceKey, LiveInfo>();
        var errors = new Dictionary<ResourceKey, string>();
        foreach (var manifest in desired)
        {
            var resource = await discovery.FindAsync(manifest.ApiVersion, manifest.Kind, ct);
            if (resource is null)
            {
                result[manifest.Key] = LiveInfo.Absent with { Diff = Missing() };
                continue;
            }
            var live = await cache.GetAsync(resource, manifest.Namespace, manifest.Name, ct);
            if (live is null)
            {
                result[manifest.Key] = LiveInfo.Absent with { Diff = Missing() };
                continue;
            }
            var hash = manifest.Hash();
            if (!diffs.TryGet(hash, live, out var diff))
            {
                try
                {
                    var predicted = await applier.DryRunAsync(resource, manifest.ToJson(), write, ct);
                    diff = Differ.Compare(predicted, live, options);
                    diffs.Put(hash, live, diff);
                }
                catch (KubeApiException e) when (e.IsImmutableFieldChange)
                {
                    // Git changes a field fixed at creation: it differs; the apply says how (or re-creates it with Force=true).
                    result[manifest.Key] = LiveInfo.Of(live, new DiffResult(true, ["(a field that cannot change after creation)"], null, null, DiffResult.ModifiedReason));
                    continue;
                }
                catch (KubeApiException e) when (!e.IsTransient)
                {
                    errors[manifest.Key] = $"{manifest.Key}: {e.Message}";
                    result[manifest.Key] = LiveInfo.Of(live);
                    continue;
                }
            }
            result[manifest.Key] = LiveInfo.Of(live, diff);
        }

        var desiredKeys = desired.Select(m => m.Key).ToHashSet();
        foreach (var key in previous.Keys.Where(k => !desiredKeys.Contains(k)))
        {
            var resource = await discovery.FindByGroupKindAsync(key.Group, key.Kind, ct);
            if (resource is null) continue;
            var live = await cache.GetAsync(resource, key.Namespace, key.Name, ct);
            result[key] = live is null ? LiveInfo.Absent : LiveInfo.Of(live);
        }
        return new LiveState(result, errors);
    }

    private static DiffResult Missing() => new(true, [""], null, null, DiffResult.MissingReason);

    internal static IReadOnlyList<IgnoreDifference> IgnoreRules(ApplicationSpec spec) =>
        [.. spec.IgnoreDifferences.Select(r => new IgnoreDifference(
            r.Group, r.Kind.Length == 0 ? "*" : r.Kind, r.Name, r.Namespace, r.JsonPointers, r.ManagedFieldsManagers))];

    /// <summary>Records that the object now matches the desired state (the apply response is what a dry run would give).</summary>
    public void Remember(Manifest manifest, JsonObject applied) =>
        diffs.Put(manifest.Hash(), applied, new DiffResult(false, [], null, null, DiffResult.InSyncReason));
}
