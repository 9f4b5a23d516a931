using System.Text.Json.Nodes;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Trust boundaries, points 3 and 4: Projects bound what their Applications may read, where they may
/// write, which kinds they may create and when automated syncs run; guardrails check every object
/// before anything is applied. Out of bounds, nothing is applied and nothing already managed is pruned.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ProjectsTests(OperatorFixture fx)
{
    private async Task ProjectAsync(string name, string spec) => await fx.ApplyYamlAsync($"""
        apiVersion: gitops.dev/v1alpha1
        kind: Project
        metadata:
          name: {name}
        spec:
        {spec}
        """);

    private static bool Violation(JsonObject app, string reason) =>
        OperatorFixture.HasCondition(app, "PolicyViolation") && (app["status"]?["conditions"] as JsonArray)!.Any(c => (string?)c?["type"] == "PolicyViolation" && (string?)c?["reason"] == reason);

    [Fact]
    public async Task Projects_RepositoryOutsideSourceRepos_ConditionNamesTheRuleNothingApplied()
    {
        using var s = await Scenario.StartAsync(fx, "proj-repo");
        await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        var project = s.Namespace + "-p";
        await ProjectAsync(project, $"""
              sourceRepos: ["https://git.example.com/*"]
              destinations: [{"{"} namespace: "{s.Namespace}" {"}"}]
            """);

        await s.CreateAppAsync(extraSpec: $"  project: {project}");
        var app = await s.WaitAsync(a => Violation(a, "ProjectDenied"), "out of bounds");

        Assert.Contains("sourceRepos: repository", OperatorFixture.ConditionMessage(app, "PolicyViolation"), StringComparison.Ordinal);
        var violation = Assert.Single((app["status"]?["policyViolations"] as JsonArray)!);
        Assert.Equal("sourceRepos", (string?)violation?["rule"]);
        Assert.Equal("Block", (string?)violation?["action"]);
        Assert.Null(await s.ConfigMapAsync("settings"));
        Assert.Equal("False", (string?)(app["status"]?["conditions"] as JsonArray)!.First(c => (string?)c?["type"] == "Ready")?["status"]);
    }

    [Fact]
    public async Task Projects_MissingProject_ConditionSaysSo()
    {
        using var s = await Scenario.StartAsync(fx, "proj-missing");
        await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));

        await s.CreateAppAsync(extraSpec: "  project: no-such-project");
        var app = await s.WaitAsync(a => Violation(a, "ProjectInvalid"), "project missing");

        Assert.Contains("Project no-such-project does not exist", OperatorFixture.ConditionMessage(app, "PolicyViolation"), StringComparison.Ordinal);
        Assert.Null(await s.ConfigMapAsync("settings"));
    }

    [Fact]
    public async Task Projects_TightenedAfterSync_ManagedObjectsLeftAloneNeverPruned()
    {
        using var s = await Scenario.StartAsync(fx, "proj-tight");
        var project = s.Namespace + "-p";
        await ProjectAsync(project, $"""
              sourceRepos: ["*"]
              destinations: [{"{"} namespace: "{s.Namespace}" {"}"}]
            """);
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")), ("app/quota.yaml", $"apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard:\n    pods: \"10\"\n"));
        await s.CreateAppAsync(extraSpec: $"  project: {project}");
        await s.WaitSyncedAsync(first);

        // The Project now denies ResourceQuotas, and a cluster-scoped kind arrives in Git: nothing is applied or pruned.
        await ProjectAsync(project, $"""
              sourceRepos: ["*"]
              destinations: [{"{"} namespace: "{s.Namespace}" {"}"}]
              namespaceResourceBlacklist: [{"{"} group: "", kind: ResourceQuota {"}"}]
            """);
        await s.PushAsync("second", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")), ("app/role.yaml", $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {s.Namespace}-reader\nrules: []\n"));
        await s.RefreshAsync();
        var app = await s.WaitAsync(a => Violation(a, "ProjectDenied") && OperatorFixture.ConditionMessage(a, "PolicyViolation")!.Contains("ClusterRole", StringComparison.Ordinal),
            "denied after the Project changed, at the second commit");

        var message = OperatorFixture.ConditionMessage(app, "PolicyViolation")!;
        Assert.Contains("namespaceResourceBlacklist: ResourceQuota is denied", message, StringComparison.Ordinal);
        Assert.Contains("clusterResourceWhitelist: cluster-scoped ClusterRole.rbac.authorization.k8s.io is not allowed", message, StringComparison.Ordinal);
        Assert.Equal("v1", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
        Assert.NotNull(await fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/resourcequotas/q"));
        Assert.Null(await fx.GetAsync($"/apis/rbac.authorization.k8s.io/v1/clusterroles/{s.Namespace}-reader"));
        var violations = (app["status"]?["policyViolations"] as JsonArray)!;
        Assert.Contains(violations, v => (string?)v?["kind"] == "ClusterRole" && (string?)v?["rule"] == "clusterResourceWhitelist" && (string?)v?["action"] == "Block");
        Assert.Contains("ResourceQuota/", string.Join(",", (app["status"]?["inventory"] as JsonArray)!.Select(e => (string?)e)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guardrails_PlainSecretInGit_BlockedByDefault_WarningsOnlyReported()
    {
        using var s = await Scenario.StartAsync(fx, "guard");
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")), ("app/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: hunter2\n"));
        await s.CreateAppAsync();
        var app = await s.WaitAsync(a => Violation(a, "GuardrailBlocked"), "plain Secret refused");

        Assert.Contains("no-plain-secrets", OperatorFixture.ConditionMessage(app, "PolicyViolation"), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", app.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await s.ConfigMapAsync("settings"));
        Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/secrets/creds"));

        // A Project that only warns about :latest and lets the Secret through (off): synced, warning listed.
        var project = s.Namespace + "-p";
        await ProjectAsync(project, $"""
              sourceRepos: ["*"]
              destinations: [{"{"} namespace: "*" {"}"}]
              guardrails:
                rules:
                - {"{"} name: no-plain-secrets, action: "off" {"}"}
                - {"{"} name: image-tag, action: warn {"}"}
            """);
        var second = await s.PushAsync("second", ("app/web.yaml", AppYaml.PauseDeployment("web", "web", image: "registry.k8s.io/pause:latest")));
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "applications.gitops.dev/app", "--type=merge", "-p", $"{{\"spec\":{{\"project\":\"{project}\"}}}}");
        await s.RefreshAsync();
        app = await s.WaitSyncedAsync(second);

        var warning = Assert.Single((app["status"]?["policyViolations"] as JsonArray)!);
        Assert.Equal("image-tag", (string?)warning?["rule"]);
        Assert.Equal("Warn", (string?)warning?["action"]);
        Assert.NotNull(await fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/secrets/creds"));
        var events = await fx.EventsAsync(s.Namespace);
        Assert.Contains("policy warnings", events!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncWindows_DenyWindowOpen_AutomatedHeldManualAllowed()
    {
        using var s = await Scenario.StartAsync(fx, "window");
        var project = s.Namespace + "-p";
        await ProjectAsync(project, $"""
              sourceRepos: ["*"]
              destinations: [{"{"} namespace: "{s.Namespace}" {"}"}]
              syncWindows:
              - {"{"} kind: deny, schedule: "* * * * *", duration: 1h, manualSync: true {"}"}
            """);
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync(extraSpec: $"  project: {project}");
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SyncWindowClosed"), "held by the window");

        Assert.Contains("a sync window denies syncs now", OperatorFixture.ConditionMessage(app, "SyncWindowClosed"), StringComparison.Ordinal);
        Assert.Null(await s.ConfigMapAsync("settings"));

        await s.SyncNowAsync();
        await s.WaitSyncedAsync(first);
        Assert.Equal("v1", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
    }

    [Fact]
    public async Task SyncWindows_WindowRemovedFromTheProject_AppSyncsWithoutBeingTouched()
    {
        using var s = await Scenario.StartAsync(fx, "window-off");
        var project = s.Namespace + "-p";
        var bounds = $"""
              sourceRepos: ["*"]
              destinations: [{"{"} namespace: "{s.Namespace}" {"}"}]
            """;
        await ProjectAsync(project, bounds + "\n" + """
              syncWindows:
              - { kind: deny, schedule: "* * * * *", duration: 1h }
            """);
        var first = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));
        await s.CreateAppAsync(extraSpec: $"  project: {project}");
        await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SyncWindowClosed"), "held by the window");

        // Only the Project changes: its Applications are looked at again at once.
        await ProjectAsync(project, bounds);
        await s.WaitSyncedAsync(first);
        Assert.Equal("v1", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
    }
}
