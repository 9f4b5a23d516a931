using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Apply;

/// <summary>
/// The sync option CreateNamespace=true: the destination namespace is created (by server-side apply,
/// as the Application's user) before anything is compared or applied. Remembered per namespace and
/// user: another Application's service account may not be allowed to create it.
/// </summary>
public sealed class NamespaceEnsurer(IKubeApi api, ManagedScope scope)
{
    private readonly HashSet<(string Namespace, string? As)> _ensured = [];

    public async Task EnsureAsync(Application app, WriteOptions write, CancellationToken ct)
    {
        var ns = app.Spec.Destination.Namespace;
        if (ns.Length == 0 || app.Spec.SyncPolicy?.HasOption("CreateNamespace=true") != true) return;
        // A Namespace is cluster-scoped: restricted to some namespaces, the operator relies on them existing.
        if (scope.IsRestricted) return;
        lock (_ensured) if (_ensured.Contains((ns, write.Impersonate))) return;
        var resource = new ResourceInfo("", "v1", "Namespace", "namespaces", false);
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } };
        await api.SendAsAsync(write.Impersonate, HttpMethod.Patch, resource.ObjectPath(null, ns) + $"?fieldManager={Annotations.FieldManager}",
            body.ToJsonString(), "application/apply-patch+yaml", ct);
        lock (_ensured) _ensured.Add((ns, write.Impersonate));
    }
}
