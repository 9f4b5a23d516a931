using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;

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

    // A live object's content hash by (uid, resourceVersion): every change gives a new resourceVersion,
    // so a no-op reconcile hashes nothing again (the clone, canonical JSON and SHA-256 were most of its CPU).
    private readonly ConcurrentDictionary<(string Uid, string ResourceVersion), string> _liveHashes = new();

    public int Count => _results.Count;

    public bool TryGet(string desiredHash, JsonObject live, out DiffResult result) =>
        _results.TryGetValue((desiredHash, KnownLiveHash(live)), out result!);

    public void Put(string desiredHash, JsonObject live, DiffResult result)
    {
        if (_results.Count >= capacity) _results.Clear();
        _results[(desiredHash, KnownLiveHash(live))] = result with { NormalizedLive = null, NormalizedPredicted = null };
    }

    private string KnownLiveHash(JsonObject live)
    {
        var meta = live["metadata"] as JsonObject;
        if (meta?["uid"] is not JsonValue uid || meta["resourceVersion"] is not JsonValue rv) return Manifest.LiveContentHash(live);
        var key = (uid.ToString(), rv.ToString());
        if (_liveHashes.TryGetValue(key, out var hash)) return hash;
        if (_liveHashes.Count >= capacity) _liveHashes.Clear();
        return _liveHashes[key] = Manifest.LiveContentHash(live);
    }
}
