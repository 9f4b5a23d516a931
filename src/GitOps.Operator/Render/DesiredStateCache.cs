using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Caching;

namespace GitOps.Operator.Render;

/// <summary>
/// The desired state of an Application as the render stage last built it, by everything that
/// decides it: the tree (a checkout named by its commit, or a chart named by its digest), the path,
/// the render parameters, the destination and the Application. A reconcile of an unchanged commit
/// (the second and third of a first sync, every resync, every self-heal) then neither renders nor
/// parses YAML nor hashes again. Objects are kept as UTF-8 JSON with their hashes (a tenth of the
/// memory of the parsed trees), bounded by entries and bytes. Decrypted objects keep their
/// <see cref="Manifest.EncryptedInGit"/> mark, and the key holds the digest of the decryption keys:
/// a changed decryption Secret, or another Application, never finds a decrypted render it could not make.
/// An Application keeps one entry, its latest: adding one drops the one it had (an older commit's), so the
/// cache holds about one entry per Application and an LRU bound below the number of Applications (which
/// made every resync of 5,000 apps render again, cyclically) is not reached before the byte bound.
/// </summary>
public sealed class DesiredStateCache(int maxEntries = 65_536, long maxBytes = 256L * 1024 * 1024)
{
    public readonly record struct Key(string Tree, string Path, string Parameters, string AppNamespace, string AppName, string Decryption = "")
    {
        /// <summary>The destination cluster as the spec names it ("" for the operator's own).</summary>
        public string Cluster { get; init; } = "";
    }

    private sealed record Entry(string Renderer, (byte[] Json, string Hash, bool EncryptedInGit)[] Objects);

    private readonly ConcurrentDictionary<(string Namespace, string Name, string Cluster), Key> _latest = new();
    private readonly BoundedLru<Key, Entry> _lru = new(maxEntries, maxBytes, e => e.Objects.Sum(o => (long)o.Json.Length + o.Hash.Length * sizeof(char) + 64));

    public long Hits => _lru.Hits;
    public long Misses => _lru.Misses;

    public bool TryGet(Key key, out string renderer, out IReadOnlyList<Manifest> manifests)
    {
        if (!_lru.TryGet(key, out var entry))
        {
            (renderer, manifests) = ("", []);
            return false;
        }
        renderer = entry.Renderer;
        manifests = [.. entry.Objects.Select(o => Manifest.FromHashed(JsonNode.Parse(o.Json)!.AsObject(), o.Hash, o.EncryptedInGit))];
        return true;
    }

    public void Add(Key key, string renderer, IReadOnlyList<Manifest> manifests)
    {
        _lru.Add(key, new Entry(renderer, [.. manifests.Select(m => (Utf8Json.ToBytes(m.ToJson()), m.Hash(), m.EncryptedInGit))]));
        var app = (key.AppNamespace, key.AppName, key.Cluster);
        if (_latest.TryGetValue(app, out var before) && before != key) _lru.Remove(before);
        _latest[app] = key;
        // Deleted Applications (and evicted entries) leave their last key here: dropped once they outnumber the live ones.
        if (_latest.Count > 2 * _lru.Count + 1024)
            foreach (var (stale, latest) in _latest)
                if (!_lru.Contains(latest)) _latest.TryRemove(KeyValuePair.Create(stale, latest));
    }

    /// <summary>Entries held now (about one per Application).</summary>
    public int Count => _lru.Count;
}
