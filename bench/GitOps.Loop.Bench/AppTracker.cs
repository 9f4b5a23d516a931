using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Loop.Bench;

/// <summary>
/// Follows the Applications through a watch: for each app and revision, the first moment it was
/// seen Synced and Healthy at that revision (Stopwatch timestamp), and its latest status.
/// </summary>
internal sealed class AppTracker
{
    private readonly ConcurrentDictionary<(string App, string Revision), long> _reached = new();
    private readonly ConcurrentDictionary<string, string> _latest = new(StringComparer.Ordinal);

    public void OnEvent(WatchEventType type, JsonObject app, long at)
    {
        var name = (string?)app["metadata"]?["name"];
        if (name is null || type == WatchEventType.Deleted) return;
        var status = app["status"];
        var sync = (string?)status?["sync"]?["status"];
        var health = (string?)status?["health"]?["status"];
        var revision = (string?)status?["sync"]?["revision"] ?? "";
        _latest[name] = $"{sync ?? "?"}/{health ?? "?"} at {(revision.Length > 12 ? revision[..12] : revision)}" +
            (status?["conditions"] is JsonArray c ? " " + string.Join("; ", c.Where(x => (string?)x?["status"] == "True" && (string?)x?["type"] != "Ready").Select(x => $"{(string?)x?["type"]}: {(string?)x?["message"]}")) : "");
        if (sync == "Synced" && health == "Healthy") _reached.TryAdd((name, revision), at);
    }

    public long? ReachedAt(string app, string revision) => _reached.TryGetValue((app, revision), out var t) ? t : null;

    public int CountReached(IReadOnlyDictionary<string, string> expected) => expected.Count(kv => _reached.ContainsKey((kv.Key, kv.Value)));

    public IEnumerable<string> Describe(IEnumerable<string> apps) => apps.Select(a => $"{a}: {_latest.GetValueOrDefault(a) ?? "no status"}");
}
