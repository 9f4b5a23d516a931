using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// What kube-apiserver's rbac/bootstrap-roles hook creates at start: the default ClusterRoles
/// (cluster-admin; admin, edit and view with their aggregation; discovery, basic-user,
/// public-info-viewer, ...) and the ClusterRoleBindings that give them to system:masters,
/// system:authenticated and system:unauthenticated. Written as kube-apiserver, in the sandbox's
/// Rbac mode; the aggregation controller then fills admin, edit and view.
/// </summary>
internal static class BootstrapPolicy
{
    public const string Manager = "kube-apiserver";

    public static void Seed(ObjectWriter writer, ResourceRegistry registry)
    {
        var policy = ReferenceData.Json("rbac/bootstrap-policy.json")!;
        var clusterRoles = registry.Find(RbacRuleResolver.Group, "v1", "clusterroles")!;
        var bindings = registry.Find(RbacRuleResolver.Group, "v1", "clusterrolebindings")!;
        foreach (var role in policy["clusterRoles"]!.AsArray().OfType<JsonObject>())
            writer.Create(clusterRoles, null, role.DeepClone().AsObject(), new WriteOptions(WriteOperation.Create, Manager, null, false));
        foreach (var binding in policy["clusterRoleBindings"]!.AsArray().OfType<JsonObject>())
            writer.Create(bindings, null, binding.DeepClone().AsObject(), new WriteOptions(WriteOperation.Create, Manager, null, false));
    }
}
