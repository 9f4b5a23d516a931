using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Conformance;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// The RBAC registry's escalation checks: a user may write a Role only with rules they hold (or
/// with `escalate`), and a binding only to a role whose rules they hold (or with `bind`).
/// </summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EscalationTests(RbacTarget target)
{
    private const string NotHeld = "is attempting to grant RBAC permissions not currently held:";

    /// <summary>
    /// The user is admin in the namespace plus the extra rules given; the write (kind, JSON with
    /// {ns}); the expected code, and for a refusal the missing rules listed.
    /// </summary>
    public static TheoryData<string, string, string, string, HttpStatusCode, string> Write_TestData() => new()
    {
        {
            "a Role with held rules", "[]", "roles",
            """{"metadata":{"name":"r"},"rules":[{"verbs":["get","list"],"apiGroups":["apps"],"resources":["deployments"]}]}""", HttpStatusCode.Created, ""
        },
        {
            "a Role with rules not held", "[]", "roles",
            """{"metadata":{"name":"r"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["nodes","pods"]},{"verbs":["get"],"nonResourceURLs":["/metrics"]}]}""",
            HttpStatusCode.Forbidden, "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"list\"]}\n{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}"
        },
        {
            "a Role with rules not held, allowed to escalate", """[{"verbs":["escalate"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"]}]""", "roles",
            """{"metadata":{"name":"r"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["nodes"]}]}""", HttpStatusCode.Created, ""
        },
        {
            "a binding to a role not held", "[]", "rolebindings",
            """{"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"mallory"}]}""",
            HttpStatusCode.Forbidden, "{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n{NonResourceURLs:[\"*\"], Verbs:[\"*\"]}"
        },
        {
            "a binding to a role not held, allowed to bind it", """[{"verbs":["bind"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"resourceNames":["cluster-admin"]}]""", "rolebindings",
            """{"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"mallory"}]}""",
            HttpStatusCode.Created, ""
        },
        {
            "a binding to a role held", "[]", "rolebindings",
            """{"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"mallory"}]}""",
            HttpStatusCode.Created, ""
        },
        {
            "a binding to a missing role", "[]", "rolebindings",
            """{"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"missing"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"mallory"}]}""",
            HttpStatusCode.NotFound, "roles.rbac.authorization.k8s.io \"missing\" not found"
        },
    };

    [Theory]
    [MemberData(nameof(Write_TestData))]
    public async Task Write_ByNamespaceAdmin_IsCheckedForEscalation(string caseName, string extraRules, string resource, string body, HttpStatusCode expected, string missing)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.BindClusterRoleAsync(target, ns, user, "admin");
        var extra = JsonNode.Parse(extraRules)!.AsArray().Select(r => r!.AsObject()).ToArray();
        if (extra.Length > 0) await Grants.RoleAsync(target, ns, user, extra);
        using var client = target.ClientAs(user);
        var path = $"apis/{Grants.Group}/v1/namespaces/{ns}/{resource}";

        // Allowed writes are retried while a real cluster's authorizer catches up with the bindings.
        var (code, answer) = (HttpStatusCode.Forbidden, "");
        await Eventually.TryAsync(async () =>
        {
            (code, answer, _) = await Conform.RawAsync(client, HttpMethod.Post, path, body);
            return code == expected;
        }, TimeSpan.FromSeconds(expected == HttpStatusCode.Created ? 10 : 0.5));

        Assert.True(code == expected, answer);
        if (expected == HttpStatusCode.Created) return;
        var status = JsonNode.Parse(answer)!;
        var name = (string)JsonNode.Parse(body)!["metadata"]!["name"]!;
        var message = expected == HttpStatusCode.NotFound ? missing
            : $"{resource}.{Grants.Group} \"{name}\" is forbidden: user \"{user}\" (groups=[\"system:authenticated\"]) {NotHeld}\n{missing}";
        Assert.Equal(message, (string?)status["message"]);
    }

    [Fact]
    public async Task Update_OfRoleToRulesNotHeld_IsRefusedButGarbageCollectionFieldsAreNot()
    {
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.BindClusterRoleAsync(target, ns, user, "admin");
        await Grants.CreateAsync(target, $"apis/{Grants.Group}/v1/namespaces/{ns}/roles", Grants.Role("Role", "wide", ns, Grants.Rule("get", "", "nodes")));
        using var client = target.ClientAs(user);
        var path = $"apis/{Grants.Group}/v1/namespaces/{ns}/roles/wide";
        await Eventually.WaitAsync(async () => (await Conform.RawAsync(client, HttpMethod.Get, path)).Code == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "admin to read roles");

        var labelled = await Conform.RawAsync(client, HttpMethod.Patch, path, """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json");
        var finalized = await Conform.RawAsync(client, HttpMethod.Patch, path, """{"metadata":{"finalizers":["example.com/keep"]}}""", "application/merge-patch+json");

        Assert.True(labelled.Code == HttpStatusCode.Forbidden, labelled.Body);
        Assert.Equal($"roles.rbac.authorization.k8s.io \"wide\" is forbidden: user \"{user}\" (groups=[\"system:authenticated\"]) {NotHeld}\n{{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}}",
            (string?)JsonNode.Parse(labelled.Body)!["message"]);
        Assert.True(finalized.Code == HttpStatusCode.OK, finalized.Body);
        await Conform.RawAsync(target.Admin, HttpMethod.Patch, path, """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
    }

    [Fact]
    public async Task Create_OfAggregatedClusterRoleWithoutFullAuthority_IsRefused()
    {
        var user = RbacTarget.NewUser();
        await Grants.ClusterRoleAsync(target, user, Grants.Rule("create", Grants.Group, "clusterroles"));
        using var client = target.ClientAs(user);
        var name = $"aggregated-{Guid.NewGuid():N}"[..19];
        var role = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["aggregationRule"] = new JsonObject { ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { ["x"] = "y" } }) },
        };

        var (code, body) = (HttpStatusCode.OK, "");
        await Eventually.TryAsync(async () =>
        {
            (code, body, _) = await Conform.RawAsync(client, HttpMethod.Post, $"apis/{Grants.Group}/v1/clusterroles", role.ToJsonString());
            return code != HttpStatusCode.Forbidden || body.Contains("aggregationRule", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));

        if (code == HttpStatusCode.Created) target.Track("clusterroles", name);
        Assert.True(code == HttpStatusCode.Forbidden, body);
        Assert.Equal($"clusterroles.rbac.authorization.k8s.io \"{name}\" is forbidden: must have cluster-admin privileges to use the aggregationRule", (string?)JsonNode.Parse(body)!["message"]);
    }
}
