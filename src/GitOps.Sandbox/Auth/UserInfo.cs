using System.Text.RegularExpressions;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// Who a request acts as (apiserver's user.Info): the authenticated token's user, or the one it
/// impersonates. Groups keep the order the authenticator and impersonation gave them.
/// </summary>
internal sealed partial record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public const string Anonymous = "system:anonymous";
    public const string AllAuthenticated = "system:authenticated";
    public const string AllUnauthenticated = "system:unauthenticated";
    public const string SystemMasters = "system:masters";
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra { get; } = new Dictionary<string, IReadOnlyList<string>>();

    public bool InGroup(string group) => Groups.Contains(group, StringComparer.Ordinal);

    /// <summary>
    /// serviceaccount.SplitUsername: "system:serviceaccount:NS:NAME" names a service account when
    /// NS is a valid namespace name and NAME a valid service account name.
    /// </summary>
    public static bool TrySplitServiceAccount(string user, out string ns, out string name)
    {
        ns = name = "";
        if (!user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal)) return false;
        var parts = user[ServiceAccountPrefix.Length..].Split(':');
        if (parts.Length != 2 || !DnsLabel().IsMatch(parts[0]) || parts[0].Length > 63 || !DnsSubdomain().IsMatch(parts[1]) || parts[1].Length > 253) return false;
        (ns, name) = (parts[0], parts[1]);
        return true;
    }

    public static string ServiceAccountName(string ns, string name) => ServiceAccountPrefix + ns + ":" + name;

    /// <summary>The groups every service account of a namespace is in (serviceaccount.MakeGroupNames).</summary>
    public static IReadOnlyList<string> ServiceAccountGroups(string ns) => ["system:serviceaccounts", "system:serviceaccounts:" + ns];

    /// <summary>
    /// The user a token issued for <paramref name="name"/> authenticates as: a service account gets
    /// its fixed groups first, and everyone but the anonymous user gets system:authenticated last
    /// (the authenticated-group adder), unless it is in system:authenticated or system:unauthenticated already.
    /// </summary>
    public static UserInfo Authenticated(string name, IEnumerable<string> groups, string? uid = null)
    {
        var all = new List<string>();
        if (TrySplitServiceAccount(name, out var ns, out _)) all.AddRange(ServiceAccountGroups(ns));
        foreach (var g in groups) if (!all.Contains(g, StringComparer.Ordinal)) all.Add(g);
        if (!all.Contains(AllAuthenticated, StringComparer.Ordinal) && !all.Contains(AllUnauthenticated, StringComparer.Ordinal)) all.Add(AllAuthenticated);
        return new UserInfo(name, uid ?? "", all, NoExtra);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
