using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Controller;

/// <summary>
/// Which Applications this replica reconciles when the load is split over several (--shards M,
/// --shard N): an Application belongs to the shard its <c>gitops.dev/shard</c> label names, or else
/// to a stable hash (FNV-1a) of namespace/name modulo M, so every replica agrees without talking
/// to the others. Applications deploying to a registered cluster (destination.clusterName) split by
/// cluster instead: the registration's own <c>gitops.dev/shard</c> label, else a hash of the cluster's
/// name, so one shard holds all of a cluster's Applications and the only connection to it. Each
/// shard elects its own leader on a Lease of its own.
/// </summary>
public sealed record Sharding(int Shard, int Shards)
{
    public const string ShardLabel = "gitops.dev/shard";

    public static Sharding Single { get; } = new(0, 1);

    public bool IsSharded => Shards > 1;

    /// <param name="clusterShard">The shard label of a registered cluster by its name (null: none, or not registered).</param>
    public bool Owns(JsonObject app, Func<string, string?>? clusterShard = null)
    {
        if (!IsSharded) return true;
        var meta = app["metadata"];
        var label = (string?)meta?["labels"]?[ShardLabel];
        if (label is null && ClusterNameOf(app) is { } cluster)
            return ShardOf("cluster", cluster, clusterShard?.Invoke(cluster), Shards) == Shard;
        return ShardOf((string?)meta?["namespace"] ?? "", (string?)meta?["name"] ?? "", label, Shards) == Shard;
    }

    /// <summary>spec.destination.clusterName when it names a registered cluster (not the operator's own), read without parsing the rest.</summary>
    public static string? ClusterNameOf(JsonObject app) =>
        app["spec"]?["destination"]?["clusterName"] is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0 && name != Cluster.Remote.ClusterRef.InClusterName
            ? name : null;

    /// <summary>The shard of an Application: a valid label pins it; otherwise the hash decides (an out-of-range label too, so no app is left unowned).</summary>
    public static int ShardOf(string ns, string name, string? label, int shards)
    {
        if (shards <= 1) return 0;
        if (int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out var pinned) && pinned < shards) return pinned;
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes($"{ns}/{name}"))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)shards);
    }

    /// <summary>The leader-election Lease of this shard: the plain name when unsharded (so an upgrade keeps the same Lease).</summary>
    public string LeaseName(string baseName) => IsSharded ? $"{baseName}-shard-{Shard.ToString(CultureInfo.InvariantCulture)}" : baseName;

    /// <summary>
    /// Parses --shards and --shard; without --shard a sharded replica takes the ordinal at the end of
    /// its pod name (a StatefulSet's gitops-operator-2 is shard 2). Returns an error message or null.
    /// </summary>
    public static (Sharding? Sharding, string? Error) Parse(int shards, int? shard, string? podName)
    {
        if (shards < 1) return (null, "--shards must be at least 1");
        if (shards == 1) return shard is null or 0 ? (Single, null) : (null, "--shard needs --shards greater than 1");
        var index = shard;
        if (index is null)
        {
            var dash = podName?.LastIndexOf('-') ?? -1;
            if (dash < 0 || !int.TryParse(podName![(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
                return (null, $"--shards {shards} needs --shard, or a pod name ending in the shard number (POD_NAME is \"{podName}\")");
            index = ordinal;
        }
        if (index < 0 || index >= shards) return (null, $"shard {index} is not in 0..{shards - 1}");
        return (new Sharding(index.Value, shards), null);
    }
}
