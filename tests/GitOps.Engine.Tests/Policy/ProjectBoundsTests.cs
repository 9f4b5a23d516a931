using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Engine.Policy;
using GitOps.Engine.Policy.Guardrails;
using GitOps.Engine.Policy.Projects;

namespace GitOps.Engine.Tests.Policy;

public class ProjectBoundsTests
{
    private static Project Parse(string spec) =>
        Project.Parse(JsonNode.Parse($$"""{"apiVersion":"gitops.dev/v1alpha1","kind":"Project","metadata":{"name":"team-a"},"spec":{{spec}}}""")!.AsObject(), _ => TimeZoneInfo.Utc);

    private static readonly Project TeamA = Parse("""
        {"sourceRepos":["https://git.example.com/team-a/*","!https://git.example.com/team-a/secret*"],
         "destinations":[{"namespace":"team-a-*"}],
         "clusterResourceWhitelist":[{"group":"","kind":"Namespace"}],
         "namespaceResourceBlacklist":[{"group":"","kind":"ResourceQuota"}],
         "serviceAccountName":"deployer"}
        """);

    public static TheoryData<string, ApplicationFacts, string[]> CheckApplication_TestData() => new()
    {
        { "inside", new("https://git.example.com/team-a/web.git", "team-a-web", "deployer"), [] },
        { "other repository", new("https://git.example.com/team-b/web.git", "team-a-web", "deployer"),
            ["sourceRepos: repository https://git.example.com/team-b/web.git is not one of Project team-a's sourceRepos (https://git.example.com/team-a/*, !https://git.example.com/team-a/secret*)"] },
        { "negated repository", new("https://git.example.com/team-a/secrets.git", "team-a-web", "deployer"),
            ["sourceRepos: repository https://git.example.com/team-a/secrets.git is not one of Project team-a's sourceRepos (https://git.example.com/team-a/*, !https://git.example.com/team-a/secret*)"] },
        { "other namespace", new("https://git.example.com/team-a/web.git", "kube-system", "deployer"),
            ["destinations: destination namespace kube-system is not one of Project team-a's destinations (team-a-*)"] },
        { "no service account: the Project's is used", new("https://git.example.com/team-a/web.git", "team-a-web", null), [] },
        { "another service account", new("https://git.example.com/team-a/web.git", "team-a-web", "admin"),
            ["serviceAccountName: Project team-a requires destination.serviceAccountName deployer (or none), not admin"] },
    };

    [Theory]
    [MemberData(nameof(CheckApplication_TestData))]
    public void CheckApplication_Facts_ViolationsNameTheRule(string caseName, ApplicationFacts facts, string[] expected)
    {
        var report = ProjectBounds.CheckApplication(TeamA, facts);

        Assert.True(expected.SequenceEqual(report.Violations.Select(v => v.ToString())), $"{caseName}: got\n{report}");
        Assert.All(report.Violations, v => Assert.True(v.Blocking));
    }

    private static Manifest Obj(string apiVersion, string kind, string ns, string name = "x") =>
        Manifest.From(new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns } });

    public static TheoryData<string, Manifest, string[]> CheckObjects_TestData() => new()
    {
        { "namespaced kind in a destination", Obj("v1", "ConfigMap", "team-a-web"), [] },
        { "object in another namespace", Obj("v1", "ConfigMap", "default"), ["ConfigMap/default/x: destinations: namespace default is not one of Project team-a's destinations (team-a-*)"] },
        { "denied namespaced kind", Obj("v1", "ResourceQuota", "team-a-web"), ["ResourceQuota/team-a-web/x: namespaceResourceBlacklist: ResourceQuota is denied by Project team-a"] },
        { "listed cluster-scoped kind", Obj("v1", "Namespace", ""), [] },
        { "unlisted cluster-scoped kind", Obj("rbac.authorization.k8s.io/v1", "ClusterRole", ""), ["ClusterRole/x: clusterResourceWhitelist: cluster-scoped ClusterRole.rbac.authorization.k8s.io is not allowed by Project team-a"] },
    };

    [Theory]
    [MemberData(nameof(CheckObjects_TestData))]
    public void CheckObjects_Object_ViolationsNameTheRule(string caseName, Manifest manifest, string[] expected)
    {
        var report = ProjectBounds.CheckObjects(TeamA, [manifest]);

        Assert.True(expected.SequenceEqual(report.Violations.Select(v => v.ToString())), $"{caseName}: got\n{report}");
    }

    [Fact]
    public void Unbounded_AllowsWhatTodayAllows()
    {
        Assert.Empty(ProjectBounds.CheckApplication(Project.Unbounded, new("https://anything", "anywhere", null)).Violations);
        Assert.Empty(ProjectBounds.CheckObjects(Project.Unbounded, [Obj("rbac.authorization.k8s.io/v1", "ClusterRole", ""), Obj("v1", "ResourceQuota", "x")]).Violations);
        Assert.Equal(PolicyAction.Block, Project.Unbounded.Guardrails.ActionOf(PlainSecretRule.RuleName));
    }

    public static TheoryData<string, string, string> Parse_Invalid_TestData() => new()
    {
        { "bad window kind", """{"syncWindows":[{"kind":"maybe","schedule":"* * * * *","duration":"1h"}]}""", "spec.syncWindows[0].kind must be allow or deny" },
        { "bad schedule", """{"syncWindows":[{"kind":"deny","schedule":"every day","duration":"1h"}]}""", "spec.syncWindows[0].schedule \"every day\"" },
        { "bad duration", """{"syncWindows":[{"kind":"deny","schedule":"0 22 * * *","duration":"soon"}]}""", "spec.syncWindows[0].duration" },
        { "unknown rule", """{"guardrails":{"rules":[{"name":"no-fun"}]}}""", "unknown rule \"no-fun\"" },
        { "bad action", """{"guardrails":{"rules":[{"name":"image-tag","action":"shout"}]}}""", "action must be block, warn or off" },
    };

    [Theory]
    [MemberData(nameof(Parse_Invalid_TestData))]
    public void Parse_Invalid_NamesTheField(string caseName, string spec, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Parse(spec));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{caseName}: {e.Message}");
    }

    [Fact]
    public void Parse_Guardrails_RequiredLabelsTurnTheirRuleOn()
    {
        var project = Parse("""{"guardrails":{"requiredLabels":["team"],"rules":[{"name":"image-tag","action":"warn"},{"name":"no-plain-secrets","action":"off"}]}}""");

        Assert.Equal(PolicyAction.Block, project.Guardrails.ActionOf(RequiredLabelsRule.RuleName));
        Assert.Equal(PolicyAction.Warn, project.Guardrails.ActionOf(ImageTagRule.RuleName));
        Assert.Equal(PolicyAction.Off, project.Guardrails.ActionOf(PlainSecretRule.RuleName));
        Assert.Equal(["team"], project.Guardrails.RequiredLabels);
    }
}
