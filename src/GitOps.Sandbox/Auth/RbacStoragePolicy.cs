using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// The RBAC registry's policy-based storage: a user may write a Role or ClusterRole only with
/// rules they hold themselves (or with `escalate` on it), set an aggregationRule only with full
/// authority, and write a binding only to a role whose rules they hold (or with `bind` on it).
/// Members of system:masters and the sandbox's own writes (no requester) are never checked.
/// </summary>
internal sealed class RbacStoragePolicy(Authorizer authorizer, RbacRuleResolver storageRules) : IWritePolicy
{
    public void Check(ResourceType type, JsonObject? old, JsonObject candidate, WriteOptions options)
    {
        if (options.Requester is not { } request || type.Group != RbacRuleResolver.Group) return;
        if (request.User.InGroup(UserInfo.SystemMasters)) return;
        if (old is not null && OnlyGarbageCollectionFields(old, candidate)) return;
        var name = candidate["metadata"]?["name"]?.GetValue<string>() ?? "";
        switch (type.Plural)
        {
            case "roles" or "clusterroles":
                if (authorizer.Authorize(new RequestAttributes(request.User, "escalate", true, ApiGroup: request.ApiGroup, ApiVersion: "*",
                        Namespace: request.Namespace, Resource: request.Resource, Name: request.Name)).Allowed) return;
                Confirm(request, type, name, PolicyRule.RulesOf(candidate));
                if (type.Plural == "clusterroles" && (candidate["aggregationRule"] is JsonObject || old?["aggregationRule"] is JsonObject)
                    && Escalation.Confirm(request.User, OwnerRules(request).Rules, [], PolicyRule.FullAuthority) is not null)
                    throw Refusals.Forbidden(type.Group, type.Plural, name, "must have cluster-admin privileges to use the aggregationRule");
                return;
            case "rolebindings" or "clusterrolebindings":
                var roleRef = candidate["roleRef"];
                var refKind = roleRef?["kind"]?.GetValue<string>();
                var bind = new RequestAttributes(request.User, "bind", true, ApiGroup: roleRef?["apiGroup"]?.GetValue<string>() ?? "",
                    Namespace: request.Namespace, Resource: refKind == "Role" ? "roles" : "clusterroles", Name: roleRef?["name"]?.GetValue<string>() ?? "");
                if (refKind is "Role" or "ClusterRole" && authorizer.Authorize(bind).Allowed) return;
                var (rules, error) = storageRules.RoleReferenceRules(roleRef, request.Namespace);
                if (error is { MissingResource: { } missing })
                    throw new StatusException(404, "NotFound", error.Message, new JsonObject { ["name"] = error.MissingName, ["group"] = missing.Group, ["kind"] = missing.Resource });
                if (error is not null) throw new StatusException(500, "InternalError", $"Internal error occurred: {error.Message}");
                Confirm(request, type, name, rules);
                return;
        }
    }

    private void Confirm(RequestAttributes request, ResourceType type, string name, IReadOnlyList<PolicyRule> rules)
    {
        var (owner, errors) = OwnerRules(request);
        if (Escalation.Confirm(request.User, owner, errors, rules) is { } why) throw Refusals.Forbidden(type.Group, type.Plural, name, why);
    }

    private (List<PolicyRule> Rules, List<string> Errors) OwnerRules(RequestAttributes request) => storageRules.RulesFor(request.User, request.Namespace);

    /// <summary>IsOnlyMutatingGCFields: the update changes nothing but ownerReferences and finalizers (bookkeeping fields aside).</summary>
    private static bool OnlyGarbageCollectionFields(JsonObject old, JsonObject candidate)
    {
        static JsonObject Strip(JsonObject o)
        {
            var copy = o.DeepClone().AsObject();
            if (copy["metadata"] is JsonObject meta)
                foreach (var f in new[] { "ownerReferences", "finalizers", "managedFields", "resourceVersion", "generation" }) meta.Remove(f);
            return copy;
        }
        return JsonNode.DeepEquals(Strip(old), Strip(candidate));
    }
}
