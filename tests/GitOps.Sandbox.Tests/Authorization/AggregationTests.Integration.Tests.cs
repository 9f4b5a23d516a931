using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Conformance;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// Aggregated ClusterRoles, filled as kube-controller-manager's clusterrole-aggregation controller
/// does: the rules of the roles their selectors match (by name, each rule once), following label
/// changes and deletions; the bootstrap admin, edit and view roles are aggregated so.
/// </summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AggregationTests(RbacTarget target)
{
    [Fact]
    public async Task AggregatedRole_WhenLabelledRolesChange_FollowsTheirRules()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var label = $"gitops.test/aggregate-{id}";
        var aggregated = Grants.Role("ClusterRole", $"aggregated-{id}", null);
        aggregated.Remove("rules");
        aggregated["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [label] = "true" } }),
        };
        await target.CreateClusterObjectAsync(aggregated);
        var readPods = Grants.Rule("get", "", "pods");
        var readSecrets = Grants.Rule("get", "", "secrets");
        var listNodes = Grants.Rule("list", "", "nodes");

        await target.CreateClusterObjectAsync(Labelled(Grants.Role("ClusterRole", $"part-b-{id}", null, readSecrets, readPods), label));
        await WaitForRulesAsync(id, [readSecrets, readPods]);

        await target.CreateClusterObjectAsync(Labelled(Grants.Role("ClusterRole", $"part-a-{id}", null, readPods, listNodes), label));
        await WaitForRulesAsync(id, [readPods, listNodes, readSecrets]);

        await PatchAsync($"part-a-{id}", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [label] = null } } });
        await WaitForRulesAsync(id, [readSecrets, readPods]);

        await PatchAsync($"part-b-{id}", new JsonObject { ["rules"] = new JsonArray(listNodes.DeepClone()) });
        await WaitForRulesAsync(id, [listNodes]);

        var (code, body, _) = await Conform.RawAsync(target.Admin, HttpMethod.Delete, $"apis/{Grants.Group}/v1/clusterroles/part-b-{id}");
        Assert.True(code == HttpStatusCode.OK, body);
        await WaitForRulesAsync(id, []);
    }

    [Fact]
    public async Task AggregatedRole_BoundToUser_GrantsTheAggregatedRules()
    {
        var ns = await target.NewNamespaceAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        var user = RbacTarget.NewUser();
        var aggregated = Grants.Role("ClusterRole", $"aggregated-{id}", null);
        aggregated["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject
            {
                ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = $"gitops.test/part-{id}", ["operator"] = "Exists" }),
            }),
        };
        await target.CreateClusterObjectAsync(aggregated);
        await Grants.BindClusterRoleAsync(target, ns, user, $"aggregated-{id}");
        using var client = target.ClientAs(user);
        Assert.Equal(HttpStatusCode.Forbidden, (await Conform.RawAsync(client, HttpMethod.Get, $"api/v1/namespaces/{ns}/configmaps")).Code);

        await target.CreateClusterObjectAsync(Labelled(Grants.Role("ClusterRole", $"part-{id}", null, Grants.Rule("list", "", "configmaps")), $"gitops.test/part-{id}"));

        await Eventually.WaitAsync(async () => (await Conform.RawAsync(client, HttpMethod.Get, $"api/v1/namespaces/{ns}/configmaps")).Code == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10), "the aggregated role to grant listing config maps");
    }

    /// <summary>The bootstrap roles' aggregation: a rule each of view, edit and admin holds, and what edit still lacks.</summary>
    public static TheoryData<string, string, string, bool> Bootstrap_TestData() => new()
    {
        { "view reads deployments", "view", """{"verbs":["get","list","watch"],"apiGroups":["apps"],"resources":["controllerrevisions","daemonsets","daemonsets/status","deployments","deployments/scale","deployments/status","replicasets","replicasets/scale","replicasets/status","statefulsets","statefulsets/scale","statefulsets/status"]}""", true },
        { "edit has view's rules", "edit", """{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["namespaces"]}""", true },
        { "edit may impersonate service accounts", "edit", """{"verbs":["impersonate"],"apiGroups":[""],"resources":["serviceaccounts"]}""", true },
        { "admin writes roles", "admin", """{"verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["rolebindings","roles"]}""", true },
        { "edit does not write roles", "edit", """{"verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["rolebindings","roles"]}""", false },
    };

    [Theory]
    [MemberData(nameof(Bootstrap_TestData))]
    public async Task BootstrapRole_Aggregated_HoldsItsPartsRules(string caseName, string role, string rule, bool holds)
    {
        _ = caseName;
        var (code, body, _) = await Conform.RawAsync(target.Admin, HttpMethod.Get, $"apis/{Grants.Group}/v1/clusterroles/{role}");
        Assert.True(code == HttpStatusCode.OK, body);

        var rules = JsonNode.Parse(body)!["rules"]?.AsArray() ?? [];

        Assert.Equal(holds, rules.Any(r => JsonNode.DeepEquals(r, JsonNode.Parse(rule))));
    }

    private async Task WaitForRulesAsync(string id, JsonObject[] expected)
    {
        var want = new JsonArray([.. expected.Select(r => (JsonNode)r.DeepClone())]);
        var last = "";
        await Eventually.WaitAsync(async () =>
        {
            var (_, body, _) = await Conform.RawAsync(target.Admin, HttpMethod.Get, $"apis/{Grants.Group}/v1/clusterroles/aggregated-{id}");
            var rules = JsonNode.Parse(body)!["rules"] ?? new JsonArray();
            last = rules.ToJsonString();
            return JsonNode.DeepEquals(rules, want);
        }, TimeSpan.FromSeconds(10), $"aggregated rules {want.ToJsonString()}; last {last}");
    }

    private async Task PatchAsync(string name, JsonObject patch)
    {
        var (code, body, _) = await Conform.RawAsync(target.Admin, HttpMethod.Patch, $"apis/{Grants.Group}/v1/clusterroles/{name}", patch.ToJsonString(), "application/merge-patch+json");
        Assert.True(code == HttpStatusCode.OK, body);
    }

    private static JsonObject Labelled(JsonObject role, string label)
    {
        role["metadata"]!["labels"] = new JsonObject { [label] = "true" };
        return role;
    }
}
