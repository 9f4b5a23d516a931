using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Conformance;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// What kube-apiserver answers a request nothing authorises: 403 Forbidden with
/// responsewriters.Forbidden's message and NewForbidden's details, for every shape of request;
/// and 401 without a token the sandbox issued.
/// </summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RefusalTests(RbacTarget target)
{
    /// <summary>{ns} and {user} are filled in; details are "name group kind" with - for absent.</summary>
    public static TheoryData<string, string, string, string, string> Forbidden_TestData() => new()
    {
        {
            "list in a namespace", "GET", "api/v1/namespaces/{ns}/configmaps",
            "configmaps is forbidden: User \"{user}\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"", "- - configmaps"
        },
        {
            "watch", "GET", "api/v1/namespaces/{ns}/configmaps?watch=true",
            "configmaps is forbidden: User \"{user}\" cannot watch resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"", "- - configmaps"
        },
        {
            "get of a named object", "GET", "api/v1/namespaces/{ns}/configmaps/cfg",
            "configmaps \"cfg\" is forbidden: User \"{user}\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"", "cfg - configmaps"
        },
        {
            "list pinned to a name", "GET", "api/v1/namespaces/{ns}/configmaps?fieldSelector=metadata.name%3Dcfg",
            "configmaps \"cfg\" is forbidden: User \"{user}\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"", "cfg - configmaps"
        },
        {
            "create in a group", "POST", "apis/apps/v1/namespaces/{ns}/deployments",
            "deployments.apps is forbidden: User \"{user}\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"{ns}\"", "- apps deployments"
        },
        {
            "a subresource", "PATCH", "apis/apps/v1/namespaces/{ns}/deployments/web/scale",
            "deployments.apps \"web\" is forbidden: User \"{user}\" cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"{ns}\"", "web apps deployments"
        },
        {
            "delete", "DELETE", "api/v1/namespaces/{ns}/secrets/s",
            "secrets \"s\" is forbidden: User \"{user}\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"{ns}\"", "s - secrets"
        },
        {
            "deletecollection", "DELETE", "api/v1/namespaces/{ns}/secrets",
            "secrets is forbidden: User \"{user}\" cannot deletecollection resource \"secrets\" in API group \"\" in the namespace \"{ns}\"", "- - secrets"
        },
        {
            "cluster-scoped list", "GET", "api/v1/nodes",
            "nodes is forbidden: User \"{user}\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", "- - nodes"
        },
        {
            "cluster-wide list of a namespaced kind", "GET", "apis/apps/v1/deployments",
            "deployments.apps is forbidden: User \"{user}\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope", "- apps deployments"
        },
        {
            "a named cluster-scoped object", "PUT", "apis/rbac.authorization.k8s.io/v1/clusterroles/view",
            "clusterroles.rbac.authorization.k8s.io \"view\" is forbidden: User \"{user}\" cannot update resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope",
            "view rbac.authorization.k8s.io clusterroles"
        },
        {
            "a namespace is in itself", "GET", "api/v1/namespaces/{ns}",
            "namespaces \"{ns}\" is forbidden: User \"{user}\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"{ns}\"", "{ns} - namespaces"
        },
        {
            "a kind the server does not serve", "GET", "apis/example.com/v1/namespaces/{ns}/widgets",
            "widgets.example.com is forbidden: User \"{user}\" cannot list resource \"widgets\" in API group \"example.com\" in the namespace \"{ns}\"", "- example.com widgets"
        },
        { "a non-resource URL", "GET", "metrics", "forbidden: User \"{user}\" cannot get path \"/metrics\"", "- - -" },
        { "a non-resource URL's verb is the method", "POST", "healthz", "forbidden: User \"{user}\" cannot post path \"/healthz\"", "- - -" },
    };

    [Theory]
    [MemberData(nameof(Forbidden_TestData))]
    public async Task Request_NotAuthorised_Returns403WithKubeApiserverMessage(string caseName, string method, string path, string message, string details)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        string Fill(string s) => s.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{user}", user, StringComparison.Ordinal);
        using var client = target.ClientAs(user);

        var (code, body, _) = await Conform.RawAsync(client, new HttpMethod(method), Fill(path), method is "POST" or "PUT" or "PATCH" ? "{}" : null,
            method == "PATCH" ? "application/merge-patch+json" : "application/json");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal(403, (int?)status["code"]);
        Assert.Equal(Fill(message), (string?)status["message"]);
        var d = status["details"]!;
        Assert.Equal(Fill(details), $"{(string?)d["name"] ?? "-"} {(string?)d["group"] ?? "-"} {(string?)d["kind"] ?? "-"}");
    }

    [Fact]
    public async Task Request_AsServiceAccount_NamesTheServiceAccountUser()
    {
        var ns = await target.NewNamespaceAsync();
        using var client = target.ClientAs($"system:serviceaccount:{ns}:deployer");

        var (code, body, _) = await Conform.RawAsync(client, HttpMethod.Post, $"api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"x"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"configmaps is forbidden: User \"system:serviceaccount:{ns}:deployer\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"",
            (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task Request_BoundToMissingRole_AddsTheResolutionErrorToTheMessage()
    {
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.CreateAsync(target, $"apis/{Grants.Group}/v1/namespaces/{ns}/rolebindings", Grants.Binding("RoleBinding", "dangling", ns, "Role", "missing", user));
        using var client = target.ClientAs(user);

        var (code, body, _) = await Conform.RawAsync(client, HttpMethod.Get, $"api/v1/namespaces/{ns}/pods");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"pods is forbidden: User \"{user}\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\": RBAC: role.rbac.authorization.k8s.io \"missing\" not found",
            (string?)JsonNode.Parse(body)!["message"]);
    }

    public static TheoryData<string, string?> Unauthenticated_TestData() => new()
    {
        { "no token", null },
        { "a token the sandbox never issued", "Bearer not-a-sandbox-token" },
        { "not a bearer token", "Basic YWRtaW46YWRtaW4=" },
    };

    [Theory]
    [MemberData(nameof(Unauthenticated_TestData))]
    public async Task Request_WithoutIssuedToken_Returns401Unauthorized(string caseName, string? authorization)
    {
        _ = caseName;
        if (target.IsRealCluster) return; // a real cluster may authenticate anonymous requests
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.Sandbox!.BaseAddress, "api/v1/namespaces"));
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            await response.Content.ReadAsStringAsync());
    }
}
