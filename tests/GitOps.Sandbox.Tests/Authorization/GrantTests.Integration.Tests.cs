using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Conformance;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// Which requests a Role or ClusterRole grants once bound: verbs (list and watch apart), resource
/// names, subresources, non-resource URLs, and the subjects a binding names.
/// </summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GrantTests(RbacTarget target)
{
    /// <summary>Rules as JSON; {ns} is the test's namespace. Requests allowed are anything but 403 (a 404 for objects that do not exist).</summary>
    public static TheoryData<string, string, string, string, bool> Role_TestData() => new()
    {
        { "list grants list", """[{"verbs":["list"],"apiGroups":[""],"resources":["configmaps"]}]""", "GET", "api/v1/namespaces/{ns}/configmaps", true },
        { "list does not grant watch", """[{"verbs":["list"],"apiGroups":[""],"resources":["configmaps"]}]""", "GET", "api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=1", false },
        { "watch grants watch", """[{"verbs":["watch"],"apiGroups":[""],"resources":["configmaps"]}]""", "GET", "api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=1", true },
        { "watch does not grant list", """[{"verbs":["watch"],"apiGroups":[""],"resources":["configmaps"]}]""", "GET", "api/v1/namespaces/{ns}/configmaps", false },
        { "get does not grant list", """[{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"]}]""", "GET", "api/v1/namespaces/{ns}/configmaps", false },
        { "a resource name grants that object", """[{"verbs":["get"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["mine"]}]""", "GET", "api/v1/namespaces/{ns}/secrets/mine", true },
        { "a resource name refuses another", """[{"verbs":["get"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["mine"]}]""", "GET", "api/v1/namespaces/{ns}/secrets/other", false },
        { "a resource name refuses the list", """[{"verbs":["list"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["mine"]}]""", "GET", "api/v1/namespaces/{ns}/secrets", false },
        { "a resource name grants the list pinned to it", """[{"verbs":["list"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["mine"]}]""", "GET", "api/v1/namespaces/{ns}/secrets?fieldSelector=metadata.name%3Dmine", true },
        { "deployments/scale grants scale", """[{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments/scale"]}]""", "GET", "apis/apps/v1/namespaces/{ns}/deployments/web/scale", true },
        { "deployments/scale does not grant deployments", """[{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments/scale"]}]""", "GET", "apis/apps/v1/namespaces/{ns}/deployments/web", false },
        { "deployments does not grant status", """[{"verbs":["*"],"apiGroups":["apps"],"resources":["deployments"]}]""", "GET", "apis/apps/v1/namespaces/{ns}/deployments/web/status", false },
        { "*/scale grants any scale", """[{"verbs":["get"],"apiGroups":["apps"],"resources":["*/scale"]}]""", "GET", "apis/apps/v1/namespaces/{ns}/statefulsets/db/scale", true },
        { "resources * grants everything in the group", """[{"verbs":["list"],"apiGroups":["apps"],"resources":["*"]}]""", "GET", "apis/apps/v1/namespaces/{ns}/replicasets", true },
        { "another group is not granted", """[{"verbs":["list"],"apiGroups":["apps"],"resources":["*"]}]""", "GET", "apis/batch/v1/namespaces/{ns}/jobs", false },
        { "a Role stays in its namespace", """[{"verbs":["list"],"apiGroups":[""],"resources":["configmaps"]}]""", "GET", "api/v1/namespaces/default/configmaps", false },
        { "a Role grants nothing cluster-wide", """[{"verbs":["list"],"apiGroups":[""],"resources":["configmaps"]}]""", "GET", "api/v1/configmaps", false },
    };

    [Theory]
    [MemberData(nameof(Role_TestData))]
    public async Task Request_WithRoleBound_IsAllowedAsRulesSay(string caseName, string rules, string method, string path, bool allowed)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.RoleAsync(target, ns, user, [.. JsonNode.Parse(rules)!.AsArray().Select(r => r!.AsObject())]);
        using var client = target.ClientAs(user);

        await AssertAllowedAsync(client, method, path.Replace("{ns}", ns, StringComparison.Ordinal), allowed);
    }

    public static TheoryData<string, string, string, bool> ClusterRole_TestData() => new()
    {
        { "a URL", """[{"verbs":["get"],"nonResourceURLs":["/metrics"]}]""", "metrics", true },
        { "a URL is not a prefix", """[{"verbs":["get"],"nonResourceURLs":["/livez"]}]""", "livez/ping", false },
        { "a URL with trailing *", """[{"verbs":["get"],"nonResourceURLs":["/livez/*"]}]""", "livez/ping", true },
        { "a cluster-wide list", """[{"verbs":["list"],"apiGroups":[""],"resources":["configmaps"]}]""", "api/v1/configmaps", true },
        { "a cluster-scoped kind", """[{"verbs":["get"],"apiGroups":[""],"resources":["nodes"]}]""", "api/v1/nodes/n1", true },
        { "every namespace", """[{"verbs":["list"],"apiGroups":[""],"resources":["secrets"]}]""", "api/v1/namespaces/default/secrets", true },
    };

    [Theory]
    [MemberData(nameof(ClusterRole_TestData))]
    public async Task Request_WithClusterRoleBound_IsAllowedAsRulesSay(string caseName, string rules, string path, bool allowed)
    {
        _ = caseName;
        var user = RbacTarget.NewUser();
        await Grants.ClusterRoleAsync(target, user, [.. JsonNode.Parse(rules)!.AsArray().Select(r => r!.AsObject())]);
        using var client = target.ClientAs(user);

        await AssertAllowedAsync(client, "GET", path, allowed);
    }

    /// <summary>Subjects: a group, a service account named with or without its namespace (defaulting to the binding's).</summary>
    public static TheoryData<string, string, string, string[]> Subject_TestData() => new()
    {
        { "User", """{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"{user}"}""", "{user}", [] },
        { "Group", """{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"{user}-team"}""", "{user}", ["{user}-team"] },
        { "ServiceAccount", """{"kind":"ServiceAccount","name":"robot","namespace":"{ns}"}""", "system:serviceaccount:{ns}:robot", [] },
        { "ServiceAccount in the binding's namespace", """{"kind":"ServiceAccount","name":"robot"}""", "system:serviceaccount:{ns}:robot", [] },
        { "all service accounts of a namespace", """{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"system:serviceaccounts:{ns}"}""", "system:serviceaccount:{ns}:any", [] },
    };

    [Theory]
    [MemberData(nameof(Subject_TestData))]
    public async Task Request_OfBoundSubject_IsAllowed(string caseName, string subject, string user, string[] groups)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var name = RbacTarget.NewUser();
        string Fill(string s) => s.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{user}", name, StringComparison.Ordinal);
        var binding = Grants.Binding("RoleBinding", "viewers", ns, "ClusterRole", "view");
        binding["subjects"] = new JsonArray(JsonNode.Parse(Fill(subject)));
        await Grants.CreateAsync(target, $"apis/{Grants.Group}/v1/namespaces/{ns}/rolebindings", binding);
        using var client = target.ClientAs(Fill(user), [.. groups.Select(Fill)]);
        using var other = target.ClientAs(RbacTarget.NewUser());

        await AssertAllowedAsync(client, "GET", $"apis/apps/v1/namespaces/{ns}/deployments", allowed: true);
        await AssertAllowedAsync(other, "GET", $"apis/apps/v1/namespaces/{ns}/deployments", allowed: false);
    }

    /// <summary>Allowed requests are awaited (a real cluster's authorizer reads informers); refused ones must be 403 right away.</summary>
    private static async Task AssertAllowedAsync(k8s.Kubernetes client, string method, string path, bool allowed)
    {
        if (!allowed)
        {
            var (code, body, _) = await Conform.RawAsync(client, new HttpMethod(method), path);
            Assert.True(code == HttpStatusCode.Forbidden, $"{method} {path}: expected 403, got {(int)code} {body}");
            return;
        }
        var last = "";
        await Eventually.WaitAsync(async () =>
        {
            var (code, body, _) = await Conform.RawAsync(client, new HttpMethod(method), path);
            last = $"{(int)code} {body}";
            return code != HttpStatusCode.Forbidden;
        }, TimeSpan.FromSeconds(10), $"{method} {path} allowed; last answer: {last}");
    }
}
