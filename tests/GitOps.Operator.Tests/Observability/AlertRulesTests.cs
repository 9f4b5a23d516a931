using GitOps.Testing;
using YamlDotNet.Serialization;

namespace GitOps.Operator.Tests.Observability;

/// <summary>
/// The alert rules in deploy/alerts: promtool unit tests (tests/promtool), promtool check rules on
/// both forms, and the PrometheusRule carrying exactly the plain file's groups.
/// </summary>
public sealed class AlertRulesTests
{
    private static string AlertsDir => Path.Combine(ToolPaths.RepoRoot, "deploy", "alerts");

    public static TheoryData<string, string> RuleTests_TestData => new()
    {
        { "gitops alerts", "tests/promtool/gitops-alerts.test.yaml" },
    };

    [Theory]
    [MemberData(nameof(RuleTests_TestData))]
    public async Task PromtoolTestRules_UnitTestFile_Passes(string caseName, string testFile)
    {
        var result = await ProcessRunner.RunAsync(ToolPaths.Promtool, ["test", "rules", testFile], workingDirectory: ToolPaths.RepoRoot);

        Assert.True(result.ExitCode == 0, $"{caseName}: {result}");
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_EveryAlertHasAUnitTest()
    {
        var rules = await File.ReadAllTextAsync(Path.Combine(AlertsDir, "gitops-alerts.rules.yaml"));
        var tests = await File.ReadAllTextAsync(Path.Combine(ToolPaths.RepoRoot, "tests", "promtool", "gitops-alerts.test.yaml"));
        var alerts = rules.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Select(l => l["- alert: ".Length..]).ToList();

        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Contains($"alertname: {a}\n", tests, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> RuleFiles_TestData => new()
    {
        { "plain rules file", "gitops-alerts.rules.yaml" },
        { "PrometheusRule", "prometheusrule.yaml" },
    };

    [Theory]
    [MemberData(nameof(RuleFiles_TestData))]
    public async Task PromtoolCheckRules_RuleFile_Passes(string caseName, string file)
    {
        var groups = GroupsOf(file);
        var temp = Path.Combine(Path.GetTempPath(), $"gitops-rules-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(temp, new SerializerBuilder().Build().Serialize(new Dictionary<string, object> { ["groups"] = groups }));
        try
        {
            var result = await ProcessRunner.RunAsync(ToolPaths.Promtool, ["check", "rules", temp]);
            Assert.True(result.ExitCode == 0, $"{caseName}: {result}");
            Assert.Contains("SUCCESS: 13 rules found", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [Fact]
    public void PrometheusRule_Groups_SameAsPlainRulesFile()
    {
        var json = new SerializerBuilder().JsonCompatible().Build();
        var prometheusRule = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(Path.Combine(AlertsDir, "prometheusrule.yaml")));

        Assert.Equal("monitoring.coreos.com/v1", prometheusRule["apiVersion"]);
        Assert.Equal("PrometheusRule", prometheusRule["kind"]);
        Assert.Equal(json.Serialize(GroupsOf("gitops-alerts.rules.yaml")), json.Serialize(GroupsOf("prometheusrule.yaml")));
    }

    private static object GroupsOf(string file)
    {
        var doc = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(AlertsDir, file)));
        if (doc.TryGetValue("spec", out var spec)) doc = (Dictionary<object, object>)spec;
        return doc["groups"];
    }
}
