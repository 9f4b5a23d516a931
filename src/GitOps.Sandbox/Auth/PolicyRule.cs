using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;

namespace GitOps.Sandbox.Auth;

/// <summary>One rbac/v1 PolicyRule; lists are never null (absent and empty alike, as Go's semantic equality has them).</summary>
internal sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public const string All = "*";

    /// <summary>Everything: what it takes to set an aggregationRule (the registry's fullAuthority).</summary>
    public static IReadOnlyList<PolicyRule> FullAuthority { get; } =
    [
        new([All], [All], [All], [], []),
        new([All], [], [], [], [All]),
    ];

    public static PolicyRule Resource(IReadOnlyList<string> verbs, IReadOnlyList<string> groups, IReadOnlyList<string> resources, IReadOnlyList<string>? names = null) =>
        new(verbs, groups, resources, names ?? [], []);

    public static PolicyRule NonResource(IReadOnlyList<string> verbs, IReadOnlyList<string> urls) => new(verbs, [], [], [], urls);

    public static PolicyRule FromJson(JsonNode? node) => new(
        Strings(node?["verbs"]), Strings(node?["apiGroups"]), Strings(node?["resources"]),
        Strings(node?["resourceNames"]), Strings(node?["nonResourceURLs"]));

    /// <summary>The rules of a Role or ClusterRole object.</summary>
    public static List<PolicyRule> RulesOf(JsonObject? role) =>
        role?["rules"] is JsonArray rules ? [.. rules.Select(FromJson)] : [];

    /// <summary>The rule as Go encodes it: verbs always, the other lists when not empty.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["verbs"] = Array(Verbs) };
        if (ApiGroups.Count > 0) o["apiGroups"] = Array(ApiGroups);
        if (Resources.Count > 0) o["resources"] = Array(Resources);
        if (ResourceNames.Count > 0) o["resourceNames"] = Array(ResourceNames);
        if (NonResourceUrls.Count > 0) o["nonResourceURLs"] = Array(NonResourceUrls);
        return o;
    }

    /// <summary>Semantic equality: same lists in the same order.</summary>
    public bool SameAs(PolicyRule other) =>
        Verbs.SequenceEqual(other.Verbs) && ApiGroups.SequenceEqual(other.ApiGroups) && Resources.SequenceEqual(other.Resources)
        && ResourceNames.SequenceEqual(other.ResourceNames) && NonResourceUrls.SequenceEqual(other.NonResourceUrls);

    /// <summary>rbacv1helpers.CompactString, as escalation errors print a rule: {APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}.</summary>
    public string CompactString()
    {
        var parts = new List<string>();
        if (ApiGroups.Count > 0) parts.Add("APIGroups:" + GoStrings(ApiGroups));
        if (Resources.Count > 0) parts.Add("Resources:" + GoStrings(Resources));
        if (NonResourceUrls.Count > 0) parts.Add("NonResourceURLs:" + GoStrings(NonResourceUrls));
        if (ResourceNames.Count > 0) parts.Add("ResourceNames:" + GoStrings(ResourceNames));
        if (Verbs.Count > 0) parts.Add("Verbs:" + GoStrings(Verbs));
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>rbac.go's RuleAllows: whether this rule grants the request.</summary>
    public bool Allows(RequestAttributes a)
    {
        if (!VerbMatches(a.Verb)) return false;
        if (!a.IsResourceRequest) return NonResourceUrlMatches(a.Path);
        var combined = a.Subresource.Length > 0 ? a.Resource + "/" + a.Subresource : a.Resource;
        return GroupMatches(a.ApiGroup) && ResourceMatches(combined, a.Subresource) && ResourceNameMatches(a.Name);
    }

    private bool VerbMatches(string verb) => Verbs.Any(v => v == All || v == verb);

    private bool GroupMatches(string group) => ApiGroups.Any(g => g == All || g == group);

    private bool ResourceMatches(string combined, string subresource)
    {
        foreach (var r in Resources)
        {
            if (r == All || r == combined) return true;
            // "*/scale" matches the scale subresource of any resource.
            if (subresource.Length > 0 && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(subresource, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private bool ResourceNameMatches(string name) => ResourceNames.Count == 0 || ResourceNames.Contains(name, StringComparer.Ordinal);

    private bool NonResourceUrlMatches(string path) => NonResourceUrls.Any(u =>
        u == All || u == path || (u.EndsWith('*') && path.StartsWith(u.TrimEnd('*'), StringComparison.Ordinal)));

    /// <summary>Go's %q of a []string: ["a" "b"].</summary>
    public static string GoStrings(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(GoFormat.Quote)) + "]";

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => x?.GetValue<string>() ?? "")] : [];
}
