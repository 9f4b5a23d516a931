using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Engine.Health;
using GitOps.Engine.Health.Rules;
using GitOps.Engine.Model;
using GitOps.Operator.Applications;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Applications;

public sealed class ApplicationSpecHealthChecksTests
{
    [Fact]
    public void Parse_HealthChecks_RulesAsWritten()
    {
        var app = JsonNode.Parse("""
            {"spec": {"healthChecks": [
              {"apiVersion": "example.com/v1", "kind": "Widget", "current": "self.status.phase == 'Ready'", "failed": "self.status.phase == 'Failed'"},
              {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "current": "true", "inProgress": "false"}
            ]}}
            """)!.AsObject();

        var spec = ApplicationSpec.Parse(app);

        Assert.Equal(
            [
                new HealthCheckRule { ApiVersion = "example.com/v1", Kind = "Widget", Current = "self.status.phase == 'Ready'", Failed = "self.status.phase == 'Failed'" },
                new HealthCheckRule { ApiVersion = "cert-manager.io/v1", Kind = "Certificate", Current = "true", InProgress = "false" },
            ],
            spec.HealthChecks);
    }

    [Fact]
    public void Parse_NoHealthChecks_Empty()
    {
        var spec = ApplicationSpec.Parse(JsonNode.Parse("""{"spec": {}}""")!.AsObject());

        Assert.Empty(spec.HealthChecks);
    }

    [Fact]
    public void ReadmeExample_Compiles_AndJudgesAWidget()
    {
        var readme = File.ReadAllText(Path.Combine(ToolPaths.RepoRoot, "README.md"));
        var yaml = Regex.Match(readme, "<!-- health-checks:begin -->\\s*```yaml\\n(?<yaml>.*?)```\\s*<!-- health-checks:end -->", RegexOptions.Singleline).Groups["yaml"].Value;
        var app = ManifestReader.Read("apiVersion: gitops.dev/v1alpha1\nkind: Application\nmetadata: {name: example}\n" + yaml, "README.md").Single().ToJson();

        var rules = HealthRules.Compile(ApplicationSpec.Parse(app).HealthChecks);

        Assert.True(rules.IsValid, rules.ToString());
        var widget = ManifestReader.Read("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nstatus: {phase: Failed}", "widget.yaml").Single().ToJson();
        Assert.Equal(HealthCode.Degraded, rules.Registry.Assess(widget)?.Code);
    }
}
