using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// The API as the operator's ServiceAccount sees it when the chart is installed with
/// <c>rbac.manage.namespaces</c>: the chart's ClusterRoles (Applications, Events, CRDs, Leases,
/// discovery), its Role in the operator's own namespace (reading Secrets: the registered clusters) and a
/// Role in each listed namespace, nothing else. Any other request is answered 403
/// Forbidden, as RBAC would, and recorded, because the sandbox stores RBAC without enforcing it.
/// </summary>
internal sealed class RoleScopedKubeApi(IKubeApi inner, IReadOnlySet<string> namespaces, string operatorNamespace = "default") : IKubeApi
{
    private static readonly string[] ClusterWideGrants =
    [
        "/apis/gitops.dev/", "/apis/apiextensions.k8s.io/", "/apis/coordination.k8s.io/", "/openapi/", "/version",
    ];

    /// <summary>Every request RBAC would have refused, as "VERB path".</summary>
    public ConcurrentQueue<string> Forbidden { get; } = new();

    public Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        Check("GET", path);
        return inner.GetAsync(path, ct);
    }

    public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
    {
        Check(method.Method, path);
        return inner.SendAsync(method, path, body, contentType, ct);
    }

    public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
    {
        Check(method.Method, path);
        return inner.SendAsAsync(impersonateUser, method, path, body, contentType, ct);
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        Check("WATCH", path);
        await foreach (var e in inner.WatchAsync(path, ct)) yield return e;
    }

    private void Check(string verb, string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0];
        if (IsAllowed(verb, path)) return;
        Forbidden.Enqueue($"{verb} {path}");
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "Forbidden", ["code"] = 403,
            ["message"] = $"{path} is forbidden: User \"system:serviceaccount:gitops:gitops-operator\" cannot {verb.ToLowerInvariant()} it",
        };
        throw new KubeApiException(403, "Forbidden", (string)status["message"]!, status);
    }

    private bool IsAllowed(string verb, string path)
    {
        if (ClusterWideGrants.Any(g => path.StartsWith(g, StringComparison.Ordinal))) return true;
        var parts = path.Trim('/').Split('/');
        // Discovery: /api, /api/v1, /apis, /apis/GROUP, /apis/GROUP/VERSION.
        if (parts[0] == "api" && parts.Length <= 2 || parts[0] == "apis" && parts.Length <= 3) return true;
        var rest = parts[0] == "api" ? parts[2..] : parts[3..];
        // Events anywhere (the chart's ClusterRole: create and patch).
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest[2] == "events") return true;
        // The operator's own namespace: Secrets read (get, list, watch), as a registered cluster's is.
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest[1] == operatorNamespace && rest[2] == "secrets" && verb is "GET" or "WATCH") return true;
        // The Roles: anything inside a listed namespace, never the Namespace object itself.
        return rest.Length >= 3 && rest[0] == "namespaces" && namespaces.Contains(rest[1]);
    }
}
