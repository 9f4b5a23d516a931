using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Engine.Diff;

namespace GitOps.Operator.Compare;

/// <summary>
/// Remembers comparison results under (hash of the desired object, hash of the live object's
/// content). The live hash leaves out status, resourceVersion, managedFields and generation, so a
/// status-only change (a Deployment rolling its pods) needs no new dry run: an unchanged
/// application is compared without a single API request. It keeps the verdict (modified, the changed
/// paths, why), not the normalized objects the comparison made: those are two parsed trees per managed
/// object, most of the operator's heap at 1,000 apps, and nothing reads them from the cache.
/// </summary>
public sealed class DiffCache(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<(string Desired, string Live), DiffResult> _results = new();

    public int Count => _results.Count;

    public bool TryGet(string desiredHash, JsonObject live, out DiffResult result) =>
        _results.TryGetValue((desiredHash, LiveHash(live)), out result!);

    public void Put(string desiredHash, JsonObject live, DiffResult result)
    {
        if (_results.Count >= capacity) _results.Clear();
        _results[(desiredHash, LiveHash(live))] = result with { NormalizedLive = null, NormalizedPredicted = null };
    }

    public static string LiveHash(JsonObject live)
    {
        var copy = live.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject meta)
        {
            meta.Remove("resourceVersion");
            meta.Remove("managedFields");
            meta.Remove("generation");
        }
        return GitOps.Engine.Model.Manifest.From(copy).Hash();
    }
}
