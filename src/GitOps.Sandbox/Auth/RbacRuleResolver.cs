using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// rule.go's DefaultRuleResolver over the stored RBAC objects: the rules of every
/// ClusterRoleBinding and (in a namespace) RoleBinding whose subjects include the user, each with
/// the binding that grants it, plus the errors of bindings whose role cannot be read.
/// </summary>
internal sealed class RbacRuleResolver(ObjectStore store, RbacRuleResolver.NotFoundWording wording)
{
    public const string Group = "rbac.authorization.k8s.io";
    public static readonly GroupResource Roles = new(Group, "roles");
    public static readonly GroupResource ClusterRoles = new(Group, "clusterroles");
    public static readonly GroupResource RoleBindings = new(Group, "rolebindings");
    public static readonly GroupResource ClusterRoleBindings = new(Group, "clusterrolebindings");

    /// <summary>
    /// How a missing role is reported: the authorizer reads listers (`role.rbac.authorization.k8s.io "x" not found`),
    /// the registry's escalation checks read storage (`roles.rbac.authorization.k8s.io "x" not found`).
    /// </summary>
    public enum NotFoundWording { Lister, Storage }

    /// <summary>A rule and where it came from, or an error met while resolving (then Rule is null).</summary>
    public readonly record struct Visit(string Source, PolicyRule? Rule, RoleError? Error);

    /// <summary>A binding's role that could not be read: its message, and whether it is a not-found.</summary>
    public sealed record RoleError(string Message, GroupResource? MissingResource = null, string MissingName = "");

    /// <summary>Every rule that applies to the user in the namespace ("" for cluster-wide only), in the resolver's order.</summary>
    public IEnumerable<Visit> VisitRulesFor(UserInfo user, string ns) => store.Transact(tx =>
    {
        var visits = new List<Visit>();
        foreach (var binding in tx.Scan(ClusterRoleBindings, null))
            AddBinding(tx, visits, user, binding, "", (name, subject, roleRef) =>
                $"ClusterRoleBinding {GoFormat.Quote(name)} of {Str(roleRef, "kind")} {GoFormat.Quote(Str(roleRef, "name"))} to {Describe(subject, "")}");
        if (ns.Length > 0)
            foreach (var binding in tx.Scan(RoleBindings, ns))
                AddBinding(tx, visits, user, binding, ns, (name, subject, roleRef) =>
                    $"RoleBinding {GoFormat.Quote(name + "/" + ns)} of {Str(roleRef, "kind")} {GoFormat.Quote(Str(roleRef, "name"))} to {Describe(subject, ns)}");
        return visits;
    });

    /// <summary>RulesFor: all the rules, and the errors (as an aggregate's messages).</summary>
    public (List<PolicyRule> Rules, List<string> Errors) RulesFor(UserInfo user, string ns)
    {
        var visits = VisitRulesFor(user, ns).ToList();
        return ([.. visits.Where(v => v.Rule is not null).Select(v => v.Rule!)], [.. visits.Where(v => v.Error is not null).Select(v => v.Error!.Message)]);
    }

    /// <summary>GetRoleReferenceRules: the rules of the role a binding (in <paramref name="ns"/>, "" for a cluster binding) refers to.</summary>
    public (List<PolicyRule> Rules, RoleError? Error) RoleReferenceRules(JsonNode? roleRef, string ns) =>
        store.Transact(tx => RoleReferenceRules(tx, roleRef, ns));

    private (List<PolicyRule>, RoleError?) RoleReferenceRules(ObjectStore.Transaction tx, JsonNode? roleRef, string ns)
    {
        var kind = Str(roleRef, "kind");
        var name = Str(roleRef, "name");
        switch (kind)
        {
            case "Role":
                if (ns.Length > 0 && tx.Peek(new ObjectKey(Roles, ns, name)) is { } role) return (PolicyRule.RulesOf(role), null);
                return ([], NotFound(Roles, "role", name));
            case "ClusterRole":
                if (tx.Peek(new ObjectKey(ClusterRoles, "", name)) is { } clusterRole) return (PolicyRule.RulesOf(clusterRole), null);
                return ([], NotFound(ClusterRoles, "clusterrole", name));
            default:
                return ([], new RoleError($"unsupported role reference kind: {GoFormat.Quote(kind)}"));
        }
    }

    private RoleError NotFound(GroupResource resource, string singular, string name) => wording == NotFoundWording.Lister
        ? new RoleError($"{singular}.{Group} {GoFormat.Quote(name)} not found", resource, name)
        : new RoleError($"{resource.Resource}.{Group} {GoFormat.Quote(name)} not found", resource, name);

    private void AddBinding(ObjectStore.Transaction tx, List<Visit> visits, UserInfo user, JsonObject binding, string ns, Func<string, JsonObject, JsonNode?, string> describe)
    {
        if (binding["subjects"] is not JsonArray subjects) return;
        var subject = subjects.OfType<JsonObject>().FirstOrDefault(s => AppliesTo(user, s, ns));
        if (subject is null) return;
        var roleRef = binding["roleRef"];
        var (rules, error) = RoleReferenceRules(tx, roleRef, ns);
        if (error is not null)
        {
            visits.Add(new Visit("", null, error));
            return;
        }
        var source = describe(binding["metadata"]?["name"]?.GetValue<string>() ?? "", subject, roleRef);
        foreach (var rule in rules) visits.Add(new Visit(source, rule, null));
    }

    /// <summary>appliesToUser: a User subject by name, a Group by membership, a ServiceAccount by its user name (namespace defaulting to the binding's).</summary>
    private static bool AppliesTo(UserInfo user, JsonObject subject, string bindingNs)
    {
        var name = Str(subject, "name");
        switch (Str(subject, "kind"))
        {
            case "User": return user.Name == name;
            case "Group": return user.InGroup(name);
            case "ServiceAccount":
                var saNs = Str(subject, "namespace") is { Length: > 0 } n ? n : bindingNs;
                return saNs.Length > 0 && user.Name == UserInfo.ServiceAccountName(saNs, name);
            default: return false;
        }
    }

    private static string Describe(JsonObject subject, string bindingNs)
    {
        var kind = Str(subject, "kind");
        var name = Str(subject, "name");
        if (kind != "ServiceAccount") return $"{kind} {GoFormat.Quote(name)}";
        var ns = Str(subject, "namespace") is { Length: > 0 } n ? n : bindingNs;
        return $"{kind} {GoFormat.Quote(name + "/" + ns)}";
    }

    private static string Str(JsonNode? node, string field) => node?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
