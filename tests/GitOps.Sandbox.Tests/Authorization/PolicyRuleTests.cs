using System.Text.Json.Nodes;
using GitOps.Sandbox.Auth;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>rbac.go's RuleAllows: verbs, API groups, resources and subresources, resource names, non-resource URLs.</summary>
public sealed class PolicyRuleTests
{
    private static readonly UserInfo Someone = UserInfo.Authenticated("someone", []);

    public static TheoryData<string, string, string, string, bool> Allows_TestData() => new()
    {
        { "verb and resource match", """{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"]}""", "GET", "/api/v1/namespaces/x/configmaps/a", true },
        { "get does not grant list", """{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"]}""", "GET", "/api/v1/namespaces/x/configmaps", false },
        { "list does not grant watch", """{"verbs":["list"],"apiGroups":[""],"resources":["configmaps"]}""", "GET", "/api/v1/namespaces/x/configmaps?watch=true", false },
        { "watch is its own verb", """{"verbs":["watch"],"apiGroups":[""],"resources":["configmaps"]}""", "GET", "/api/v1/namespaces/x/configmaps?watch=true", true },
        { "verb * grants deletecollection", """{"verbs":["*"],"apiGroups":[""],"resources":["configmaps"]}""", "DELETE", "/api/v1/namespaces/x/configmaps", true },
        { "another group does not match", """{"verbs":["get"],"apiGroups":["apps"],"resources":["configmaps"]}""", "GET", "/api/v1/namespaces/x/configmaps/a", false },
        { "group * matches the core group", """{"verbs":["get"],"apiGroups":["*"],"resources":["configmaps"]}""", "GET", "/api/v1/namespaces/x/configmaps/a", true },
        { "a resource does not grant its subresource", """{"verbs":["patch"],"apiGroups":["apps"],"resources":["deployments"]}""", "PATCH", "/apis/apps/v1/namespaces/x/deployments/web/scale", false },
        { "resource/subresource grants the subresource", """{"verbs":["patch"],"apiGroups":["apps"],"resources":["deployments/scale"]}""", "PATCH", "/apis/apps/v1/namespaces/x/deployments/web/scale", true },
        { "resource/subresource does not grant the resource", """{"verbs":["patch"],"apiGroups":["apps"],"resources":["deployments/scale"]}""", "PATCH", "/apis/apps/v1/namespaces/x/deployments/web", false },
        { "*/scale grants any resource's scale", """{"verbs":["get"],"apiGroups":["apps"],"resources":["*/scale"]}""", "GET", "/apis/apps/v1/namespaces/x/statefulsets/db/scale", true },
        { "*/scale does not grant status", """{"verbs":["get"],"apiGroups":["apps"],"resources":["*/scale"]}""", "GET", "/apis/apps/v1/namespaces/x/statefulsets/db/status", false },
        { "*/scale does not grant the resource", """{"verbs":["get"],"apiGroups":["apps"],"resources":["*/scale"]}""", "GET", "/apis/apps/v1/namespaces/x/statefulsets/db", false },
        { "resource * grants subresources", """{"verbs":["get"],"apiGroups":["apps"],"resources":["*"]}""", "GET", "/apis/apps/v1/namespaces/x/deployments/web/status", true },
        { "resourceNames grant that name", """{"verbs":["get"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"]}""", "GET", "/api/v1/namespaces/x/secrets/a", true },
        { "resourceNames refuse other names", """{"verbs":["get"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"]}""", "GET", "/api/v1/namespaces/x/secrets/b", false },
        { "resourceNames refuse an unnamed list", """{"verbs":["list"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"]}""", "GET", "/api/v1/namespaces/x/secrets", false },
        { "resourceNames grant a list pinned to the name", """{"verbs":["list"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"]}""", "GET", "/api/v1/namespaces/x/secrets?fieldSelector=metadata.name=a", true },
        { "resourceNames refuse a create (no name yet)", """{"verbs":["create"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"]}""", "POST", "/api/v1/namespaces/x/secrets", false },
        { "non-resource URL exact", """{"verbs":["get"],"nonResourceURLs":["/healthz"]}""", "GET", "/healthz", true },
        { "non-resource URL is not a prefix", """{"verbs":["get"],"nonResourceURLs":["/healthz"]}""", "GET", "/healthz/etcd", false },
        { "non-resource URL with trailing *", """{"verbs":["get"],"nonResourceURLs":["/healthz/*"]}""", "GET", "/healthz/etcd", true },
        { "trailing * needs the slash", """{"verbs":["get"],"nonResourceURLs":["/healthz/*"]}""", "GET", "/healthz", false },
        { "non-resource URL *", """{"verbs":["get"],"nonResourceURLs":["*"]}""", "GET", "/metrics", true },
        { "non-resource verb is the method", """{"verbs":["get"],"nonResourceURLs":["/metrics"]}""", "POST", "/metrics", false },
        { "a resource rule does not grant a path", """{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}""", "GET", "/metrics", false },
        { "a URL rule does not grant a resource", """{"verbs":["*"],"nonResourceURLs":["*"]}""", "GET", "/api/v1/namespaces/x/configmaps", false },
    };

    [Theory]
    [MemberData(nameof(Allows_TestData))]
    public void Allows_RuleAndRequest_MatchesAsRbacDoes(string caseName, string rule, string method, string url, bool expected)
    {
        _ = caseName;
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var query = (question < 0 ? "" : url[(question + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var request = RequestAttributes.FromRequest(Someone, method, question < 0 ? url : url[..question], name => query.GetValueOrDefault(name));

        Assert.Equal(expected, PolicyRule.FromJson(JsonNode.Parse(rule)).Allows(request));
    }
}
