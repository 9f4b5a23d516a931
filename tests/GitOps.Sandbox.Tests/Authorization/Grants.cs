using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Conformance;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>Builds and creates the RBAC objects the authorisation tests grant their users.</summary>
internal static class Grants
{
    public const string Group = "rbac.authorization.k8s.io";

    /// <summary>A resource rule from comma-separated lists: Rule("get,list", "apps", "deployments,deployments/scale").</summary>
    public static JsonObject Rule(string verbs, string groups, string resources, string? names = null)
    {
        var rule = new JsonObject { ["verbs"] = List(verbs), ["apiGroups"] = List(groups), ["resources"] = List(resources) };
        if (names is not null) rule["resourceNames"] = List(names);
        return rule;
    }

    public static JsonObject UrlRule(string verbs, string urls) => new() { ["verbs"] = List(verbs), ["nonResourceURLs"] = List(urls) };

    /// <summary>A User subject, or a ServiceAccount one for system:serviceaccount:NS:NAME.</summary>
    public static JsonObject Subject(string user)
    {
        var parts = user.Split(':');
        return parts is ["system", "serviceaccount", var ns, var name]
            ? new JsonObject { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = ns }
            : new JsonObject { ["kind"] = "User", ["apiGroup"] = Group, ["name"] = user };
    }

    public static JsonObject Role(string kind, string name, string? ns, params JsonObject[] rules)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null) metadata["namespace"] = ns;
        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1",
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)r.DeepClone())]),
        };
    }

    public static JsonObject Binding(string kind, string name, string? ns, string roleKind, string roleName, params string[] users)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null) metadata["namespace"] = ns;
        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1",
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["roleRef"] = new JsonObject { ["apiGroup"] = Group, ["kind"] = roleKind, ["name"] = roleName },
            ["subjects"] = new JsonArray([.. users.Select(u => (JsonNode)Subject(u))]),
        };
    }

    /// <summary>A Role with <paramref name="rules"/> in <paramref name="ns"/> bound to <paramref name="user"/> (both named after the user).</summary>
    public static async Task RoleAsync(RbacTarget target, string ns, string user, params JsonObject[] rules)
    {
        var name = Name(user);
        await CreateAsync(target, $"apis/{Group}/v1/namespaces/{ns}/roles", Role("Role", name, ns, rules));
        await CreateAsync(target, $"apis/{Group}/v1/namespaces/{ns}/rolebindings", Binding("RoleBinding", name, ns, "Role", name, user));
    }

    /// <summary>A RoleBinding of an existing ClusterRole to <paramref name="user"/> in <paramref name="ns"/>.</summary>
    public static Task BindClusterRoleAsync(RbacTarget target, string ns, string user, string clusterRole) =>
        CreateAsync(target, $"apis/{Group}/v1/namespaces/{ns}/rolebindings", Binding("RoleBinding", Name(user) + "-" + Name(clusterRole), ns, "ClusterRole", clusterRole, user));

    /// <summary>A ClusterRole with <paramref name="rules"/> bound cluster-wide to <paramref name="user"/>.</summary>
    public static async Task ClusterRoleAsync(RbacTarget target, string user, params JsonObject[] rules)
    {
        var name = Name(user);
        await target.CreateClusterObjectAsync(Role("ClusterRole", name, null, rules));
        await target.CreateClusterObjectAsync(Binding("ClusterRoleBinding", name, null, "ClusterRole", name, user));
    }

    public static async Task CreateAsync(RbacTarget target, string path, JsonObject obj)
    {
        var (code, body, _) = await Conform.RawAsync(target.Admin, HttpMethod.Post, path, obj.ToJsonString());
        Assert.True(code == HttpStatusCode.Created, $"POST {path}: {(int)code} {body}");
    }

    /// <summary>An object name from a user name (service account users have colons).</summary>
    public static string Name(string user) => user.Replace(':', '-').Replace("system-serviceaccount-", "sa-", StringComparison.Ordinal);

    private static JsonArray List(string csv) => new([.. csv.Split(',').Select(v => (JsonNode)v)]);
}
