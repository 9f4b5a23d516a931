using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// Discovery documents: the recorded ones for built-in groups, generated ones for CRD groups.
/// Only the plain (legacy) documents are served, as a 1.26 server without aggregated discovery
/// does; clients asking for aggregated discovery fall back on the application/json answer.
/// </summary>
public sealed class Discovery(ResourceRegistry registry)
{
    private static readonly JsonObject BuiltinGroups = ReferenceData.Json("discovery/apis.json")!;

    public static JsonObject Version() => ReferenceData.Json("discovery/version.json")!;

    public JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject Groups()
    {
        var doc = BuiltinGroups.DeepClone().AsObject();
        var groups = doc["groups"]!.AsArray();
        foreach (var g in CustomGroups()) groups.Add((JsonNode)g);
        return doc;
    }

    public JsonObject? Group(string name)
    {
        var g = Groups()["groups"]!.AsArray().FirstOrDefault(x => (string?)x?["name"] == name);
        if (g is null) return null;
        var doc = g.DeepClone().AsObject();
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    public JsonObject? Resources(string group, string version)
    {
        var served = registry.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (served.Count == 0) return null;
        if (!served[0].IsCustom)
        {
            var recorded = ReferenceData.Json(group.Length == 0 ? $"discovery/api/{version}.json" : $"discovery/apis/{group}/{version}.json")!;
            if (group == Auth.Reviews.AuthenticationGroup && version == "v1") recorded["resources"]!.AsArray().Add((JsonNode)Auth.Reviews.SelfSubjectReviewDiscovery());
            return recorded;
        }
        var resources = new JsonArray();
        foreach (var r in served)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray([.. r.Verbs.Select(v => (JsonNode)v)]),
            };
            if (r.ShortNames.Count > 0) entry["shortNames"] = new JsonArray([.. r.ShortNames.Select(v => (JsonNode)v)]);
            if (r.Categories.Count > 0) entry["categories"] = new JsonArray([.. r.Categories.Select(v => (JsonNode)v)]);
            entry["storageVersionHash"] = r.StorageVersionHash ?? StorageVersionHash(r.Group, r.Version, r.Kind);
            resources.Add((JsonNode)entry);
            if (r.HasStatus) resources.Add((JsonNode)Subresource(r, "status", r.Kind, ["get", "patch", "update"]));
            if (r.HasScale) resources.Add((JsonNode)Subresource(r, "scale", "Scale", ["get", "patch", "update"], "autoscaling", "v1"));
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = served[0].ApiVersion,
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType r, string sub, string kind, string[] verbs, string? group = null, string? version = null)
    {
        var o = new JsonObject
        {
            ["name"] = $"{r.Plural}/{sub}",
            ["singularName"] = "",
            ["namespaced"] = r.Namespaced,
        };
        if (group is not null) { o["group"] = group; o["version"] = version; }
        o["kind"] = kind;
        o["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]);
        return o;
    }

    /// <summary>kube-apiserver's hash: base64 of the first 8 bytes of sha256("group/version/kind") of the storage version.</summary>
    public static string StorageVersionHash(string group, string version, string kind) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{group}/{version}/{kind}"))[..8]);

    private IEnumerable<JsonObject> CustomGroups()
    {
        foreach (var byGroup in registry.All.Where(r => r.IsCustom).GroupBy(r => r.Group))
        {
            var versions = byGroup.Select(r => r.Version).Distinct().OrderByDescending(VersionPriority).ToList();
            var versionList = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{byGroup.Key}/{v}", ["version"] = v })]);
            yield return new JsonObject
            {
                ["name"] = byGroup.Key,
                ["versions"] = versionList,
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{byGroup.Key}/{versions[0]}", ["version"] = versions[0] },
            };
        }
    }

    // Kube-aware version order: GA > beta > alpha, higher numbers first.
    private static long VersionPriority(string v)
    {
        var m = System.Text.RegularExpressions.Regex.Match(v, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!m.Success) return 0;
        var major = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = m.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
        var minor = m.Groups[3].Success ? long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return stage * 1_000_000_000L + major * 1000 + minor;
    }
}
