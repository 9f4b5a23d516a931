using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Store;

/// <summary>
/// The resources the sandbox serves: the built-in ones recorded in reference/discovery, plus
/// those of every established CustomResourceDefinition. Thread-safe; CRD changes swap a snapshot.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private readonly List<ResourceType> _builtin;
    private IReadOnlyList<ResourceType> _all;
    private readonly Dictionary<string, IReadOnlyList<ResourceType>> _custom = new(StringComparer.Ordinal);

    public ResourceRegistry()
    {
        _builtin = LoadBuiltins();
        _all = _builtin;
    }

    public IReadOnlyList<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string plural)
    {
        foreach (var r in _all)
            if (r.Plural == plural && r.Version == version && r.Group == group) return r;
        return null;
    }

    public ResourceType? FindKind(string group, string version, string kind)
    {
        foreach (var r in _all)
            if (r.Kind == kind && r.Version == version && r.Group == group) return r;
        return null;
    }

    /// <summary>All served versions of a group/resource (for storage-wide operations).</summary>
    public IEnumerable<ResourceType> Versions(GroupResource gr) => _all.Where(r => r.GroupResource == gr);

    /// <summary>Serves (or re-serves) the resources of a CRD; keyed by the CRD's name.</summary>
    public void SetCustom(string crdName, IReadOnlyList<ResourceType> types)
    {
        lock (_gate)
        {
            _custom[crdName] = types;
            Rebuild();
        }
    }

    public void RemoveCustom(string crdName)
    {
        lock (_gate)
        {
            if (_custom.Remove(crdName)) Rebuild();
        }
    }

    private void Rebuild() => _all = [.. _builtin, .. _custom.Values.SelectMany(v => v)];

    private static List<ResourceType> LoadBuiltins()
    {
        var result = new List<ResourceType>();
        foreach (var file in ReferenceData.Files("discovery/api/").Concat(ReferenceData.Files("discovery/apis/")))
        {
            var doc = ReferenceData.Json(file)!;
            var groupVersion = (string)doc["groupVersion"]!;
            var slash = groupVersion.IndexOf('/');
            var (group, version) = slash < 0 ? ("", groupVersion) : (groupVersion[..slash], groupVersion[(slash + 1)..]);
            var resources = doc["resources"]!.AsArray();
            var names = resources.Select(r => (string)r!["name"]!).ToHashSet(StringComparer.Ordinal);
            foreach (var r in resources)
            {
                var name = (string)r!["name"]!;
                if (name.Contains('/')) continue;
                result.Add(new ResourceType(
                    group, version, name,
                    Singular: (string?)r["singularName"] is { Length: > 0 } s ? s : ((string)r["kind"]!).ToLowerInvariant(),
                    Kind: (string)r["kind"]!,
                    Namespaced: (bool)r["namespaced"]!,
                    Verbs: Strings(r["verbs"]),
                    ShortNames: Strings(r["shortNames"]),
                    Categories: Strings(r["categories"]),
                    HasStatus: names.Contains(name + "/status"),
                    HasScale: names.Contains(name + "/scale"),
                    IsCustom: false,
                    StorageVersionHash: (string?)r["storageVersionHash"]));
            }
        }
        // Served beyond the recorded 1.26 discovery: SelfSubjectReview at authentication.k8s.io/v1 (kubectl auth whoami).
        result.Add(Auth.Reviews.SelfSubjectReviewType);
        return result;
    }

    internal static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => (string)x!)] : [];
}
