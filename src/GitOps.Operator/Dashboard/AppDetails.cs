using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Status;

namespace GitOps.Operator.Dashboard;

/// <summary>One node of an Application's resource tree: an object it manages, or one those own (by ownerReferences).</summary>
public sealed record TreeNode(string Group, string Version, string Kind, string Namespace, string Name)
{
    public string? Sync { get; init; }
    public string? Health { get; init; }
    public string? Message { get; init; }
    /// <summary>The drift hold on the live object (gitops.dev/drift-hold), with its end; null when none.</summary>
    public string? HoldReason { get; init; }
    public string? HoldUntil { get; init; }
    /// <summary>An object the Application manages (a root), not one a controller made.</summary>
    public bool Managed { get; init; }
    public bool Live { get; init; }
    public IReadOnlyList<TreeNode> Children { get; init; } = [];

    /// <summary>The object as `Kind/ns/name` (the ResourceKey spelling): the diff page's anchors and the hold form's value.</summary>
    public string Key => $"{Kind}/{Namespace}/{Name}";

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>An Event about the Application, newest first.</summary>
public sealed record EventView(string Type, string Reason, string Message, DateTimeOffset? Time, long Count);

/// <summary>
/// What the Application page reads beyond the cached Application: the live objects it manages (holds,
/// owners' uids), what they own (Deployment → ReplicaSet → Pod), and its recent Events. Read when the
/// page is rendered, never polled.
/// </summary>
internal sealed class AppDetails(IKubeApi api, ApiDiscovery discovery, DashboardOptions options)
{
    /// <summary>Kinds whose objects own others, and the kinds they own.</summary>
    private static readonly Dictionary<(string Group, string Kind), (string Group, string Version, string Kind)[]> Owns = new()
    {
        [("apps", "Deployment")] = [("apps", "v1", "ReplicaSet")],
        [("apps", "ReplicaSet")] = [("", "v1", "Pod")],
        [("apps", "StatefulSet")] = [("", "v1", "Pod")],
        [("apps", "DaemonSet")] = [("", "v1", "Pod")],
        [("batch", "Job")] = [("", "v1", "Pod")],
        [("batch", "CronJob")] = [("batch", "v1", "Job")],
    };

    public const int MaxRoots = 300;

    /// <summary>Details of a cluster that cannot be read: every live object reads as absent.</summary>
    public static AppDetails Empty(DashboardOptions options) => new(NoApi.Instance, new ApiDiscovery(NoApi.Instance), options);

    private sealed class NoApi : IKubeApi
    {
        public static NoApi Instance { get; } = new();
        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => Task.FromResult<JsonObject?>(null);
        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => Task.FromResult(new JsonObject());
        public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => Task.FromResult(new JsonObject());
        public IAsyncEnumerable<WatchEvent> WatchAsync(string path, CancellationToken ct) => AsyncEnumerable.Empty<WatchEvent>();
    }

    public async Task<IReadOnlyList<TreeNode>> TreeAsync(ApplicationStatus status, CancellationToken ct)
    {
        var roots = status.Resources.Select(r => new TreeNode(r.Group, r.Version, r.Kind, r.Namespace, r.Name)
        {
            Sync = r.Status, Health = r.Health, Message = r.Message, Managed = true,
        }).ToList();
        var known = roots.Select(r => (r.Group, r.Kind, r.Namespace, r.Name)).ToHashSet();
        foreach (var entry in status.InventoryEntries)
        {
            var parts = entry.Split('/');
            if (known.Add((parts[0], parts[1], parts[2], parts[3])))
                roots.Add(new TreeNode(parts[0], "", parts[1], parts[2], parts[3]) { Managed = true, Sync = "Unknown" });
        }
        var children = new Dictionary<(string, string, string), Task<IReadOnlyList<JsonObject>>>();
        var nodes = new List<TreeNode>();
        foreach (var root in roots.Take(MaxRoots)) nodes.Add(await ExpandAsync(root, children, depth: 0, ct));
        return nodes;
    }

    private async Task<TreeNode> ExpandAsync(TreeNode node, Dictionary<(string, string, string), Task<IReadOnlyList<JsonObject>>> lists, int depth, CancellationToken ct)
    {
        JsonObject? live;
        ResourceInfo? resource;
        try
        {
            resource = node.Version.Length > 0
                ? await discovery.FindAsync(node.ApiVersion, node.Kind, ct)
                : await discovery.FindByGroupKindAsync(node.Group, node.Kind, ct);
            live = resource is null ? null : await api.GetAsync(resource.ObjectPath(resource.Namespaced ? node.Namespace : null, node.Name), ct);
        }
        catch (KubeApiException e)
        {
            return node with { Message = Join(node.Message, $"cannot read it: {e.Message}") };
        }
        if (resource is not null && node.Version.Length == 0) node = node with { Version = resource.Version };
        if (live is null) return node with { Health = node.Health ?? (node.Managed ? "Missing" : null) };
        var annotations = live["metadata"]?["annotations"];
        node = node with
        {
            Live = true,
            HoldReason = (string?)annotations?[Annotations.DriftHold],
            HoldUntil = (string?)annotations?[Annotations.DriftHoldUntil],
            Health = node.Health ?? HealthRegistry.Default.Assess(live)?.Code.ToString(),
        };
        return await OwnedAsync(node, live, lists, depth, ct);
    }

    private async Task<TreeNode> OwnedAsync(TreeNode node, JsonObject live, Dictionary<(string, string, string), Task<IReadOnlyList<JsonObject>>> lists, int depth, CancellationToken ct)
    {
        if (depth >= 3 || !Owns.TryGetValue((node.Group, node.Kind), out var ownedKinds)) return node;
        var uid = (string?)live["metadata"]?["uid"];
        var owned = new List<TreeNode>();
        foreach (var (group, version, kind) in ownedKinds)
        {
            var key = (group + "/" + version, kind, node.Namespace);
            if (!lists.TryGetValue(key, out var list)) lists[key] = list = ListAsync(group, version, kind, node.Namespace, ct);
            IReadOnlyList<JsonObject> items;
            try { items = await list; }
            catch (KubeApiException e)
            {
                node = node with { Message = Join(node.Message, $"cannot list its {kind}s: {e.Message}") };
                continue;
            }
            foreach (var child in items.Where(i => (i["metadata"]?["ownerReferences"] as JsonArray)?.Any(r => (string?)r?["uid"] == uid) == true)
                         .OrderBy(i => (string?)i["metadata"]?["name"], StringComparer.Ordinal))
                owned.Add(await OwnedAsync(new TreeNode(group, version, kind, node.Namespace, (string?)child["metadata"]?["name"] ?? "")
                {
                    Live = true,
                    Health = HealthRegistry.Default.Assess(child)?.Code.ToString(),
                }, child, lists, depth + 1, ct));
        }
        return node with { Children = owned };
    }

    private async Task<IReadOnlyList<JsonObject>> ListAsync(string group, string version, string kind, string ns, CancellationToken ct)
    {
        var resource = await discovery.FindAsync(group.Length == 0 ? version : $"{group}/{version}", kind, ct);
        if (resource is null) return [];
        var list = await api.GetAsync(resource.CollectionPath(ns), ct);
        return [.. (list?["items"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    /// <summary>The Application's recent Events, newest first; empty when they cannot be read.</summary>
    public async Task<(IReadOnlyList<EventView> Events, string? Error)> EventsAsync(string ns, string name, CancellationToken ct)
    {
        var selector = Uri.EscapeDataString($"involvedObject.kind=Application,involvedObject.name={name}");
        JsonObject? list;
        try
        {
            list = await api.GetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/events?fieldSelector={selector}", ct);
        }
        catch (KubeApiException e)
        {
            return ([], e.Message);
        }
        var events = (list?["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => (string?)e["involvedObject"]?["name"] == name)
            .Select(e => new EventView((string?)e["type"] ?? "", (string?)e["reason"] ?? "", (string?)e["message"] ?? "",
                Time((string?)e["lastTimestamp"]) ?? Time((string?)e["eventTime"]) ?? Time((string?)e["metadata"]?["creationTimestamp"]),
                (long?)e["count"] ?? 1))
            .OrderByDescending(e => e.Time)
            .Take(options.RecentEvents)
            .ToList();
        return (events, null);
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static string Join(string? a, string b) => string.IsNullOrEmpty(a) ? b : $"{a}; {b}";
}
