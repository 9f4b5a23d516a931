using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Cluster;

/// <summary>
/// Which resource serves each apiVersion/kind, read from the API's discovery documents. A group
/// version is read once and re-read when a kind is not found there (a CRD created since).
/// </summary>
public sealed class ApiDiscovery(IKubeApi api)
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ResourceInfo>> _byGroupVersion = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    /// <summary>The resource of this apiVersion/kind, or null when the API does not serve it.</summary>
    public async Task<ResourceInfo?> FindAsync(string apiVersion, string kind, CancellationToken ct)
    {
        if (_byGroupVersion.TryGetValue(apiVersion, out var known) && known.TryGetValue(kind, out var info)) return info;
        await _refresh.WaitAsync(ct);
        try
        {
            var fresh = await ReadGroupVersionAsync(apiVersion, ct);
            _byGroupVersion[apiVersion] = fresh;
            return fresh.GetValueOrDefault(kind);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The resource of a group/kind in the group's preferred version (inventory entries carry no version).</summary>
    public async Task<ResourceInfo?> FindByGroupKindAsync(string group, string kind, CancellationToken ct)
    {
        foreach (var (apiVersion, kinds) in _byGroupVersion)
            if (GroupOf(apiVersion) == group && kinds.TryGetValue(kind, out var known)) return known;
        if (group.Length == 0) return await FindAsync("v1", kind, ct);
        var doc = await api.GetAsync($"/apis/{Uri.EscapeDataString(group)}", ct);
        var preferred = (string?)doc?["preferredVersion"]?["groupVersion"];
        return preferred is null ? null : await FindAsync(preferred, kind, ct);
    }

    private static string GroupOf(string apiVersion) => apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";

    /// <summary>Forgets what was learned, so the next lookups read discovery again (after a CRD change).</summary>
    public void Invalidate(string? apiVersion = null)
    {
        if (apiVersion is null) _byGroupVersion.Clear();
        else _byGroupVersion.TryRemove(apiVersion, out _);
    }

    private async Task<IReadOnlyDictionary<string, ResourceInfo>> ReadGroupVersionAsync(string apiVersion, CancellationToken ct)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        var doc = await api.GetAsync(path, ct);
        var result = new Dictionary<string, ResourceInfo>(StringComparer.Ordinal);
        foreach (var r in doc?["resources"] as JsonArray ?? [])
        {
            var name = (string?)r?["name"];
            if (name is null || name.Contains('/')) continue;
            var kind = (string)r!["kind"]!;
            result.TryAdd(kind, new ResourceInfo(group, version, kind, name, (bool?)r["namespaced"] ?? false));
        }
        return result;
    }
}
