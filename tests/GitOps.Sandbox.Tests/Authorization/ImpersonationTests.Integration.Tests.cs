using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Conformance;
using k8s;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// Impersonate-User, -Group, -Uid and -Extra-* are honoured only when the caller may `impersonate`
/// each (impersonation.go); the request is then authorised as the impersonated user. The caller
/// needs a credential of its own, so these run on the sandbox only.
/// </summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImpersonationTests(RbacTarget target)
{
    /// <summary>
    /// The caller's rules (a ClusterRole's: users, groups, uids and extras are cluster-scoped), the
    /// headers ("Name: value"; HttpClient joins repeated ones into one line, as one value), and the
    /// refusal's message; {ns} and {caller} are filled in. The caller is never allowed the request itself.
    /// </summary>
    public static TheoryData<string, bool, string, string[], string> Refused_TestData() => new()
    {
        {
            "a user without impersonate", true, "[]", ["Impersonate-User: bob"],
            "users \"bob\" is forbidden: User \"{caller}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"
        },
        {
            "a service account without impersonate", true, "[]", ["Impersonate-User: system:serviceaccount:{ns}:deployer"],
            "serviceaccounts \"deployer\" is forbidden: User \"{caller}\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"{ns}\""
        },
        {
            "a user but not the group", true, """[{"verbs":["impersonate"],"apiGroups":[""],"resources":["users"]}]""", ["Impersonate-User: bob", "Impersonate-Group: admins"],
            "groups \"admins\" is forbidden: User \"{caller}\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope"
        },
        {
            "another user than the one named", true, """[{"verbs":["impersonate"],"apiGroups":[""],"resources":["users"],"resourceNames":["bob"]}]""", ["Impersonate-User: carol"],
            "users \"carol\" is forbidden: User \"{caller}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"
        },
        {
            "a uid", true, """[{"verbs":["impersonate"],"apiGroups":[""],"resources":["users"]}]""", ["Impersonate-User: bob", "Impersonate-Uid: 1234"],
            "uids.authentication.k8s.io \"1234\" is forbidden: User \"{caller}\" cannot impersonate resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope"
        },
        {
            "an extra", true, """[{"verbs":["impersonate"],"apiGroups":[""],"resources":["users"]}]""", ["Impersonate-User: bob", "Impersonate-Extra-Scopes: view"],
            "userextras.authentication.k8s.io \"view\" is forbidden: User \"{caller}\" cannot impersonate resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope"
        },
        {
            "a service account in another namespace", false, """[{"verbs":["impersonate"],"apiGroups":[""],"resources":["serviceaccounts"]}]""", ["Impersonate-User: system:serviceaccount:default:deployer"],
            "serviceaccounts \"deployer\" is forbidden: User \"{caller}\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"default\""
        },
    };

    [Theory]
    [MemberData(nameof(Refused_TestData))]
    public async Task Impersonation_NotAllowed_Returns403(string caseName, bool cluster, string rules, string[] headers, string message)
    {
        _ = caseName;
        if (target.IsRealCluster) return;
        var (ns, caller, client) = await CallerAsync(rules, cluster);
        using var owned = client;
        string Fill(string s) => s.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{caller}", caller, StringComparison.Ordinal);

        var (code, body) = await SendAsync(client, $"api/v1/namespaces/{ns}/configmaps", [.. headers.Select(Fill)]);

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(Fill(message), (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task Impersonation_GroupWithoutUser_Returns500PlainText()
    {
        if (target.IsRealCluster) return;
        var (ns, _, client) = await CallerAsync("[]");
        using var owned = client;

        var (code, body) = await SendAsync(client, $"api/v1/namespaces/{ns}/configmaps", ["Impersonate-Group: admins"]);

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal($"Internal Server Error: \"/api/v1/namespaces/{ns}/configmaps\": requested [{{Group  admins    }}] without impersonating a user\n", body);
    }

    /// <summary>The caller may impersonate service accounts in the namespace (as the edit role allows); the request is then the account's.</summary>
    public static TheoryData<string, bool, HttpStatusCode, string> AsServiceAccount_TestData() => new()
    {
        { "an unbound account is refused in its own name", false, HttpStatusCode.Forbidden, "configmaps is forbidden: User \"system:serviceaccount:{ns}:deployer\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"" },
        { "a bound account is allowed", true, HttpStatusCode.OK, "" },
    };

    [Theory]
    [MemberData(nameof(AsServiceAccount_TestData))]
    public async Task Impersonation_OfServiceAccount_AuthorisesAsTheAccount(string caseName, bool bound, HttpStatusCode expected, string message)
    {
        _ = caseName;
        if (target.IsRealCluster) return;
        var (ns, _, client) = await CallerAsync("""[{"verbs":["impersonate"],"apiGroups":[""],"resources":["serviceaccounts"]}]""");
        using var owned = client;
        var account = $"system:serviceaccount:{ns}:deployer";
        if (bound) await Grants.BindClusterRoleAsync(target, ns, account, "view");

        var (code, body) = await SendAsync(client, $"api/v1/namespaces/{ns}/configmaps", [$"Impersonate-User: {account}"]);

        Assert.True(expected == code, body);
        if (message.Length > 0) Assert.Equal(message.Replace("{ns}", ns, StringComparison.Ordinal), (string?)JsonNode.Parse(body)!["message"]);
    }

    /// <summary>Who the impersonated request is: SelfSubjectReview's userInfo ("name|uid|groups|extra").</summary>
    public static TheoryData<string, string[], string> Identity_TestData() => new()
    {
        { "a service account gets its groups", ["Impersonate-User: system:serviceaccount:{ns}:deployer"], "system:serviceaccount:{ns}:deployer||system:serviceaccounts,system:serviceaccounts:{ns},system:authenticated|" },
        { "a user gets system:authenticated", ["Impersonate-User: bob"], "bob||system:authenticated|" },
        { "given groups replace the account's", ["Impersonate-User: system:serviceaccount:{ns}:deployer", "Impersonate-Group: team"], "system:serviceaccount:{ns}:deployer||team,system:authenticated|" },
        { "system:authenticated given is not added again", ["Impersonate-User: bob", "Impersonate-Group: system:authenticated"], "bob||system:authenticated|" },
        { "uid and an extra", ["Impersonate-User: bob", "Impersonate-Uid: 42", "Impersonate-Extra-Scopes: view"], "bob|42|system:authenticated|scopes=view" },
        { "an escaped extra key", ["Impersonate-User: bob", "Impersonate-Extra-Example.com%2fTeam: blue"], "bob||system:authenticated|example.com/team=blue" },
    };

    [Theory]
    [MemberData(nameof(Identity_TestData))]
    public async Task Impersonation_Allowed_ActsAsTheImpersonatedUser(string caseName, string[] headers, string expected)
    {
        _ = caseName;
        if (target.IsRealCluster) return;
        var (ns, _, client) = await CallerAsync("""[{"verbs":["impersonate"],"apiGroups":["","authentication.k8s.io"],"resources":["*"]}]""", cluster: true);
        using var owned = client;
        string Fill(string s) => s.Replace("{ns}", ns, StringComparison.Ordinal);

        var (code, body) = await SendAsync(client, "apis/authentication.k8s.io/v1/selfsubjectreviews", [.. headers.Select(Fill)],
            """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");

        Assert.True(code == HttpStatusCode.Created, body);
        var info = JsonNode.Parse(body)!["status"]!["userInfo"]!;
        var extra = info["extra"] is JsonObject e ? string.Join(";", e.Select(kv => $"{kv.Key}={string.Join(",", kv.Value!.AsArray().Select(v => (string?)v))}")) : "";
        Assert.Equal(Fill(expected), $"{(string?)info["username"]}|{(string?)info["uid"]}|{string.Join(",", info["groups"]!.AsArray().Select(g => (string?)g))}|{extra}");
    }

    /// <summary>A caller with <paramref name="rules"/> in a new namespace (cluster-wide when <paramref name="cluster"/>).</summary>
    private async Task<(string Ns, string Caller, Kubernetes Client)> CallerAsync(string rules, bool cluster = false)
    {
        var ns = await target.NewNamespaceAsync();
        var caller = RbacTarget.NewUser("caller");
        var parsed = JsonNode.Parse(rules)!.AsArray().Select(r => r!.AsObject()).ToArray();
        if (parsed.Length > 0)
        {
            if (cluster) await Grants.ClusterRoleAsync(target, caller, parsed);
            else await Grants.RoleAsync(target, ns, caller, parsed);
        }
        return (ns, caller, target.ClientAs(caller));
    }

    private static async Task<(HttpStatusCode Code, string Body)> SendAsync(Kubernetes client, string path, string[] headers, string? body = null)
    {
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(client.BaseUri, path));
        foreach (var h in headers)
        {
            var colon = h.IndexOf(':', StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation(h[..colon], h[(colon + 1)..].Trim());
        }
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        if (client.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await client.HttpClient.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
