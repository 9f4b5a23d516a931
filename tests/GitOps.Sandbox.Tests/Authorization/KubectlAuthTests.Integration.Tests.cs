using GitOps.Sandbox.Tests.KubectlCli;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>kubectl as users of the Rbac sandbox: auth can-i, auth whoami, and apply, allowed or refused with kube-apiserver's words.</summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class KubectlAuthTests(RbacTarget target)
{
    public static TheoryData<string, string, string[], string> CanI_TestData() => new()
    {
        { "bound to edit: create deployments", "edit", ["create", "deployments"], "yes" },
        { "bound to view: no create", "view", ["create", "deployments"], "no" },
        { "bound to view: list deployments", "view", ["list", "deployments.apps"], "yes" },
        { "bound to view: watch the scale", "view", ["watch", "deployments", "--subresource=scale"], "yes" },
        { "bound to view: no secrets", "view", ["get", "secrets"], "no" },
        { "unbound: no create", "", ["create", "deployments"], "no" },
    };

    [Theory]
    [MemberData(nameof(CanI_TestData))]
    public async Task CanI_AsUser_AnswersAsTheBindingsSay(string caseName, string clusterRole, string[] question, string expected)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        if (clusterRole.Length > 0) await Grants.BindClusterRoleAsync(target, ns, user, clusterRole);

        var result = await target.KubectlAsAsync(user, [], ["auth", "can-i", .. question, "-n", ns]);

        Assert.Equal(expected, result.StdOut.Trim());
        Assert.Equal(expected == "yes" ? 0 : 1, result.ExitCode);
    }

    [Fact]
    public async Task CanIList_AsBoundUser_ListsTheRoleRulesAndDiscovery()
    {
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.RoleAsync(target, ns, user, Grants.Rule("get,list", "", "configmaps", "app-config"));

        var result = await target.KubectlAsAsync(user, [], "auth", "can-i", "--list", "-n", ns);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal("Resources Non-Resource URLs Resource Names Verbs", lines[0]);
        Assert.Contains("configmaps [] [app-config] [get list]", lines);
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io [] [] [create]", lines);
        Assert.Contains("[/api/*] [] [get]", lines);
    }

    public static TheoryData<string, string, string[], string[]> WhoAmI_TestData() => new()
    {
        { "a user", "alice-{id}", [], ["Username alice-{id}", "Groups [system:authenticated]"] },
        { "a user in groups", "alice-{id}", ["devs", "ops"], ["Username alice-{id}", "Groups [devs ops system:authenticated]"] },
        { "a service account", "system:serviceaccount:{ns}:deployer", [], ["Username system:serviceaccount:{ns}:deployer", "Groups [system:serviceaccounts system:serviceaccounts:{ns} system:authenticated]"] },
    };

    [Theory]
    [MemberData(nameof(WhoAmI_TestData))]
    public async Task WhoAmI_AsUser_PrintsUserAndGroups(string caseName, string user, string[] groups, string[] expected)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        string Fill(string s) => s.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal);

        var result = await target.KubectlAsAsync(Fill(user), groups, "auth", "whoami");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(["ATTRIBUTE VALUE", .. expected.Select(Fill)], lines);
    }

    [Fact]
    public async Task WhoAmI_AsAdmin_IsSandboxAdminInSystemMasters()
    {
        if (target.IsRealCluster) return; // a real cluster's admin is someone else
        var result = await target.KubectlAsync("auth", "whoami");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Groups      [system:masters system:authenticated]", result.StdOut);
        Assert.Contains("Username    sandbox-admin", result.StdOut);
    }

    [Fact]
    public async Task WhoAmI_ImpersonatingWithGroups_ShowsTheImpersonatedUser()
    {
        if (target.IsRealCluster) return; // the caller needs credentials of its own
        var caller = RbacTarget.NewUser("caller");
        await Grants.ClusterRoleAsync(target, caller, Grants.Rule("impersonate", "", "users,groups"));

        var result = await target.KubectlAsAsync(caller, [], "auth", "whoami", "--as", "bob", "--as-group", "devs", "--as-group", "ops");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Groups      [devs ops system:authenticated]", result.StdOut);
    }

    private const string Manifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cfg}
        data: {a: "1"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        """;

    [Fact]
    public async Task ApplyServerSide_AsUnboundServiceAccount_FailsWithForbidden()
    {
        var ns = await target.NewNamespaceAsync();
        var account = $"system:serviceaccount:{ns}:deployer";
        using var file = KubectlKit.Write(Manifest);

        var result = await target.KubectlAsAsync(account, [], "apply", "--server-side", "-n", ns, "-f", file.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Error from server (Forbidden): configmaps \"cfg\" is forbidden: User \"{account}\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"", result.StdErr);
        Assert.Contains($"Error from server (Forbidden): deployments.apps \"web\" is forbidden: User \"{account}\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"{ns}\"", result.StdErr);
    }

    [Fact]
    public async Task ApplyServerSide_AsServiceAccountBoundToEdit_CreatesAndReads()
    {
        var ns = await target.NewNamespaceAsync();
        var account = $"system:serviceaccount:{ns}:deployer";
        await Grants.BindClusterRoleAsync(target, ns, account, "edit");
        using var file = KubectlKit.Write(Manifest);

        var applied = await target.KubectlAsAsync(account, [], "apply", "--server-side", "-n", ns, "-f", file.Path);
        var listed = await target.KubectlAsAsync(account, [], "get", "configmap,deployment", "-n", ns, "-o", "name");
        var nodes = await target.KubectlAsAsync(account, [], "get", "nodes");

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("configmap/cfg serverside-applied", applied.StdOut);
        Assert.Contains("deployment.apps/web serverside-applied", applied.StdOut);
        Assert.Equal(["configmap/cfg", "deployment.apps/web"], KubectlKit.WithoutClusterConfigMaps(listed.StdOut, target.ClusterConfigMapsIn(ns)));
        Assert.Contains($"Error from server (Forbidden): nodes is forbidden: User \"{account}\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", nodes.StdErr);
    }
}
