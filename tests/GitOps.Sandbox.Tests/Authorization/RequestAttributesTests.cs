using GitOps.Sandbox.Auth;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>The attributes a request is authorised by, as requestinfo.go derives them from method, path and query.</summary>
public sealed class RequestAttributesTests
{
    private static readonly UserInfo Someone = UserInfo.Authenticated("someone", []);

    /// <summary>Expected: "verb ns group/version resource[/sub] name", or "verb path" for a non-resource request.</summary>
    public static TheoryData<string, string, string, string> Attributes_TestData() => new()
    {
        { "collection GET is list", "GET", "/api/v1/namespaces/x/configmaps", "list x /v1 configmaps -" },
        { "watch=true is watch", "GET", "/api/v1/namespaces/x/configmaps?watch=true", "watch x /v1 configmaps -" },
        { "watch=1 is watch", "GET", "/api/v1/namespaces/x/configmaps?watch=1", "watch x /v1 configmaps -" },
        { "watch=false is list", "GET", "/api/v1/namespaces/x/configmaps?watch=false", "list x /v1 configmaps -" },
        { "watch=0 is list", "GET", "/api/v1/namespaces/x/configmaps?watch=0", "list x /v1 configmaps -" },
        { "named GET is get", "GET", "/api/v1/namespaces/x/configmaps/cfg", "get x /v1 configmaps cfg" },
        { "HEAD is get", "HEAD", "/api/v1/namespaces/x/configmaps/cfg", "get x /v1 configmaps cfg" },
        { "list pinned by metadata.name carries the name", "GET", "/api/v1/namespaces/x/configmaps?fieldSelector=metadata.name=cfg", "list x /v1 configmaps cfg" },
        { "watch pinned by metadata.name== carries the name", "GET", "/api/v1/namespaces/x/configmaps?watch=true&fieldSelector=metadata.name==cfg", "watch x /v1 configmaps cfg" },
        { "metadata.name!= pins nothing", "GET", "/api/v1/namespaces/x/configmaps?fieldSelector=metadata.name!=cfg", "list x /v1 configmaps -" },
        { "cluster-wide list of a namespaced kind", "GET", "/api/v1/configmaps", "list - /v1 configmaps -" },
        { "namespaces list", "GET", "/api/v1/namespaces", "list - /v1 namespaces -" },
        { "a namespace is in itself", "GET", "/api/v1/namespaces/x", "get x /v1 namespaces x" },
        { "namespace finalize", "PUT", "/api/v1/namespaces/x/finalize", "update x /v1 namespaces/finalize x" },
        { "namespace status", "PATCH", "/api/v1/namespaces/x/status", "patch x /v1 namespaces/status x" },
        { "scale subresource", "PATCH", "/apis/apps/v1/namespaces/x/deployments/web/scale", "patch x apps/v1 deployments/scale web" },
        { "create", "POST", "/apis/apps/v1/namespaces/x/deployments", "create x apps/v1 deployments -" },
        { "update", "PUT", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", "update - rbac.authorization.k8s.io/v1 clusterroles view" },
        { "delete", "DELETE", "/api/v1/namespaces/x/configmaps/cfg", "delete x /v1 configmaps cfg" },
        { "DELETE of a collection is deletecollection", "DELETE", "/api/v1/namespaces/x/configmaps", "deletecollection x /v1 configmaps -" },
        { "the watch path prefix", "GET", "/apis/apps/v1/watch/namespaces/x/deployments", "watch x apps/v1 deployments -" },
        { "the proxy path prefix has no subresource", "GET", "/api/v1/proxy/namespaces/x/services/web/healthz", "proxy x /v1 services web" },
        { "core discovery is a path", "GET", "/api", "get /api" },
        { "core version discovery is a path", "GET", "/api/v1", "get /api/v1" },
        { "group discovery is a path", "GET", "/apis/apps", "get /apis/apps" },
        { "group version discovery is a path", "GET", "/apis/apps/v1", "get /apis/apps/v1" },
        { "healthz", "GET", "/healthz", "get /healthz" },
        { "non-resource verb is the method", "POST", "/metrics", "post /metrics" },
    };

    [Theory]
    [MemberData(nameof(Attributes_TestData))]
    public void FromRequest_MethodPathAndQuery_GivesRequestInfoAttributes(string caseName, string method, string url, string expected)
    {
        _ = caseName;
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? url : url[..question];
        var query = (question < 0 ? "" : url[(question + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

        var a = RequestAttributes.FromRequest(Someone, method, path, name => query.GetValueOrDefault(name));

        var actual = a.IsResourceRequest
            ? $"{a.Verb} {Or(a.Namespace)} {a.ApiGroup}/{a.ApiVersion} {a.Resource}{(a.Subresource.Length > 0 ? "/" + a.Subresource : "")} {Or(a.Name)}"
            : $"{a.Verb} {a.Path}";
        Assert.Equal(expected, actual);
    }

    private static string Or(string s) => s.Length == 0 ? "-" : s;
}
