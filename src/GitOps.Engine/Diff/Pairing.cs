using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Diff;

/// <summary>A desired object and its live counterpart; a null desired object is a prune candidate, a null live one is to be created.</summary>
public sealed record ResourcePair(ResourceKey Key, Manifest? Desired, JsonObject? Live)
{
    public override string ToString() => $"{Key} desired={(Desired is null ? "no" : "yes")} live={(Live is null ? "no" : "yes")}";
}

/// <summary>Every key once, in key order, plus desired keys that appeared more than once (the last one wins).</summary>
public sealed record PairingResult(IReadOnlyList<ResourcePair> Pairs, IReadOnlyList<ResourceKey> DuplicateDesired)
{
    /// <summary>Live objects without a desired object: candidates for pruning.</summary>
    public IEnumerable<ResourcePair> LiveOnly => Pairs.Where(p => p.Desired is null);

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var p in Pairs) sb.Append(p).Append('\n');
        foreach (var d in DuplicateDesired) sb.Append("duplicate ").Append(d).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }
}

/// <summary>Matches desired manifests with live objects by <see cref="ResourceKey"/>.</summary>
public static class Pairing
{
    public static PairingResult Pair(IEnumerable<Manifest> desired, IEnumerable<JsonObject> live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        var d = new Dictionary<ResourceKey, Manifest>();
        var duplicates = new List<ResourceKey>();
        foreach (var m in desired)
        {
            if (!d.TryAdd(m.Key, m))
            {
                duplicates.Add(m.Key);
                d[m.Key] = m;
            }
        }

        var l = new Dictionary<ResourceKey, JsonObject>();
        foreach (var o in live) l[ResourceKey.Of(o)] = o;
        var pairs = d.Keys.Union(l.Keys).Order()
            .Select(k => new ResourcePair(k, d.GetValueOrDefault(k), l.GetValueOrDefault(k)))
            .ToList();
        return new PairingResult(pairs, duplicates);
    }
}
