using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Health.Rules;

namespace GitOps.Engine.Tests.Health;

/// <summary>User-defined health rules (CEL, Flux's healthCheckExprs shape): evaluation, order, errors, isolation.</summary>
public class HealthRulesTests
{
    private static JsonObject Widget(string status, long generation = 1) => TestJson.Obj($$"""
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w
          namespace: shop
          generation: {{generation}}
          labels: {app/tier: web}
        spec: {replicas: 3}
        status: {{status}}
        """);

    private static HealthRegistry Registry(string current, string? inProgress = null, string? failed = null)
    {
        var result = HealthRules.Compile([new HealthCheckRule { ApiVersion = "example.com/v1", Kind = "Widget", Current = current, InProgress = inProgress, Failed = failed }]);
        Assert.True(result.IsValid, result.ToString());
        return result.Registry;
    }

    public static TheoryData<string, string, string, HealthCode, string> Assess_TestData() => new()
    {
        { "ready condition true", "self.status.conditions.filter(c, c.type == 'Ready').all(c, c.status == 'True')",
            "{conditions: [{type: Ready, status: 'True'}]}", HealthCode.Healthy, "current" },
        { "flux style: fields as variables", "status.conditions.exists(e, e.type == 'Synced' && e.status == 'True')",
            "{conditions: [{type: Synced, status: 'True'}]}", HealthCode.Healthy, "" },
        { "ready condition false: no expression true", "self.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
            "{conditions: [{type: Ready, status: 'False'}]}", HealthCode.Progressing, "no health check is true yet" },
        { "has() on a missing field is false", "has(self.status.phase) && self.status.phase == 'Running'",
            "{observedGeneration: 1}", HealthCode.Progressing, "" },
        { "has() guards from the top: no status", "has(self.status) && has(self.status.phase) && self.status.phase == 'Running'",
            "", HealthCode.Progressing, "no health check is true yet" },
        { "has() of a field under a missing one is an error", "has(self.status.phase)",
            "", HealthCode.Unknown, "does not support field selection" },
        { "a failed && names its cause", "self.status.other / 0 == 1 && true",
            "{other: 1}", HealthCode.Unknown, "Could not compare AND values. Cannot divide value by zero." },
        { "a missing field is not forgiven by || (cel-go would)", "self.status.phase == 'x' || true",
            "{other: 1}", HealthCode.Unknown, "Cannot find overload to select field 'phase'" },
        { "int comparison across fields", "self.status.readyReplicas >= self.spec.replicas",
            "{readyReplicas: 3}", HealthCode.Healthy, "" },
        { "int against double", "self.status.readyReplicas > 2.5", "{readyReplicas: 3}", HealthCode.Healthy, "" },
        { "double field", "self.status.ratio == 0.75", "{ratio: 0.75}", HealthCode.Healthy, "" },
        { "string functions", "self.status.phase.startsWith('Run') && self.status.phase.matches('^R.*g$')",
            "{phase: Running}", HealthCode.Healthy, "" },
        { "label with a slash by index", "self.metadata.labels['app/tier'] == 'web'", "{}", HealthCode.Healthy, "" },
        { "list membership", "self.status.phase in ['Running', 'Succeeded']", "{phase: Succeeded}", HealthCode.Healthy, "" },
        { "timestamps", "timestamp(self.status.lastUpdated) > timestamp('2024-01-01T00:00:00Z')",
            "{lastUpdated: '2025-06-01T10:00:00Z'}", HealthCode.Healthy, "" },
        { "runtime error: missing field compared", "self.status.phase == 'Running'",
            "{observedGeneration: 1}", HealthCode.Unknown, "cannot be evaluated" },
        { "runtime error: missing top-level status", "status.phase == 'Running'",
            "", HealthCode.Unknown, "Undeclared reference to 'status'" },
        { "runtime error: the expression is a missing field", "self.status.ready",
            "{phase: Running}", HealthCode.Unknown, "does not exist" },
        { "runtime error: not a boolean", "self.status.phase", "{phase: Running}", HealthCode.Unknown, "not true or false" },
        { "runtime error: index out of range", "self.status.conditions[3].status == 'True'",
            "{conditions: []}", HealthCode.Unknown, "Index out of range" },
        { "generation not yet observed: nothing evaluated", "self.status.nothing == 'x'",
            "{observedGeneration: 1}", HealthCode.Progressing, "observe the latest generation" },
    };

    [Theory]
    [MemberData(nameof(Assess_TestData))]
    public void Assess_CurrentExpression_ExpectedHealth(string caseName, string current, string status, HealthCode expected, string messagePart)
    {
        var generation = caseName.StartsWith("generation", StringComparison.Ordinal) ? 2 : 1;
        var live = status.Length == 0 ? Widget("{}", generation).Without("/status") : Widget(status, generation);

        var health = Registry(current).Assess(live);

        Assert.True(health?.Code == expected, $"{caseName}: {health}");
        Assert.Contains(messagePart, health!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string?, string, HealthCode, string> Order_TestData() => new()
    {
        { "all true: inProgress first", "true", "true", "true", HealthCode.Progressing, "inProgress" },
        { "inProgress false: failed next", "false", "true", "true", HealthCode.Degraded, "failed" },
        { "only current true", "false", "false", "true", HealthCode.Healthy, "current" },
        { "none true", "false", "false", "false", HealthCode.Progressing, "no health check is true yet" },
        { "optional expressions absent", null, null, "true", HealthCode.Healthy, "current" },
        { "failed without inProgress", null, "true", "true", HealthCode.Degraded, "failed" },
        { "an erroring inProgress stops the evaluation", "self.status.x == 1", null, "true", HealthCode.Unknown, "inProgress" },
    };

    /// <summary>Flux's order (RFC 0009, fluxcd/pkg runtime/cel StatusEvaluator): inProgress, failed, current; the first true wins.</summary>
    [Theory]
    [MemberData(nameof(Order_TestData))]
    public void Assess_SeveralExpressionsTrue_FirstInFluxOrderWins(string caseName, string? inProgress, string? failed, string current, HealthCode expected, string messagePart)
    {
        var health = Registry(current, inProgress, failed).Assess(Widget("{observedGeneration: 1}"));

        Assert.True(health?.Code == expected, $"{caseName}: {health}");
        Assert.Contains(messagePart, health!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_CertManagerStyleRule_FollowsTheConditions()
    {
        var registry = Registry(
            current: "status.conditions.filter(e, e.type == 'Ready').all(e, e.observedGeneration == metadata.generation && e.status == 'True')",
            inProgress: "status.conditions.filter(e, e.type == 'Issuing').all(e, e.observedGeneration == metadata.generation && e.status == 'True')",
            failed: "status.conditions.filter(e, e.type == 'Ready').all(e, e.observedGeneration == metadata.generation && e.status == 'False')");

        var issuing = registry.Assess(Widget("{conditions: [{type: Issuing, status: 'True', observedGeneration: 1}, {type: Ready, status: 'False', observedGeneration: 1}]}"));
        var failed = registry.Assess(Widget("{conditions: [{type: Issuing, status: 'False', observedGeneration: 1}, {type: Ready, status: 'False', observedGeneration: 1}]}"));
        var ready = registry.Assess(Widget("{conditions: [{type: Issuing, status: 'False', observedGeneration: 1}, {type: Ready, status: 'True', observedGeneration: 1}]}"));

        Assert.Equal(HealthCode.Progressing, issuing?.Code);
        Assert.Equal(HealthCode.Degraded, failed?.Code);
        Assert.Equal(HealthCode.Healthy, ready?.Code);
    }

    public static TheoryData<string, HealthCheckRule, string> CompileError_TestData() => new()
    {
        { "syntax error", Rule(current: "self.status.phase =="), "healthChecks[0] (Widget example.com/v1): current: syntax error: Line 1:20" },
        { "unknown function", Rule(current: "self.status.phase.lowerAscii() == 'ready'"), "current: unknown function 'lowerAscii'" },
        { "unknown global function", Rule(current: "nope(self) == 1"), "unknown function 'nope'" },
        { "optional selection", Rule(current: "self.status.?phase.orValue('') == 'Ready'"), "optional selection ('.?' or '[?') is not supported" },
        { "macro without a predicate", Rule(current: "self.status.conditions.all(c)"), "all() takes a variable name and an expression" },
        { "three-argument map", Rule(current: "self.l.map(x, x > 1, x * 2).size() > 0"), "the three-argument map is not supported" },
        { "macro called globally", Rule(current: "exists(self.l, x, x > 1)"), "exists() is called on a list" },
        { "has() without a field", Rule(current: "has(self)"), "has() takes one field selection" },
        { "bad inProgress is named", Rule(current: "true", inProgress: "self.a ) b"), "inProgress: syntax error" },
        { "bad failed is named", Rule(current: "true", failed: "x.lowerAscii()"), "failed: unknown function 'lowerAscii'" },
        { "current missing", Rule(current: ""), "current is required" },
        { "kind missing", Rule(current: "true") with { Kind = "" }, "kind is required" },
        { "apiVersion missing", Rule(current: "true") with { ApiVersion = "" }, "apiVersion is required" },
    };

    [Theory]
    [MemberData(nameof(CompileError_TestData))]
    public void Compile_InvalidRule_ErrorNamesRuleAndCause(string caseName, HealthCheckRule rule, string expected)
    {
        var result = HealthRules.Compile([rule]);

        Assert.False(result.IsValid, caseName);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_TwoRulesForOneKind_SecondIsAnError()
    {
        var result = HealthRules.Compile([Rule(current: "true"), Rule(current: "false") with { ApiVersion = "example.com/v2" }]);

        Assert.Equal(["healthChecks[1] (Widget example.com/v2): healthChecks[0] already has a rule for Widget.example.com"], result.Errors);
    }

    [Fact]
    public void Compile_OneBadRule_OtherRulesStillCompiled()
    {
        var result = HealthRules.Compile([Rule(current: "self.x =="), Rule(current: "true") with { Kind = "Gadget" }]);

        Assert.Single(result.Errors);
        var gadget = Widget("{observedGeneration: 1}");
        gadget["kind"] = "Gadget";
        Assert.Equal(HealthCode.Healthy, result.Registry.Assess(gadget)?.Code);
    }

    /// <summary>Two Applications with different rules for the same kind: each registry keeps its own, whatever was compiled after it.</summary>
    [Fact]
    public void Compile_TwoRuleSetsForOneKind_EachRegistryUsesOnlyItsOwn()
    {
        var teamA = HealthRules.Compile([Rule(current: "self.status.phase == 'Ready'", failed: "self.status.phase == 'Broken'")]).Registry;
        var teamB = HealthRules.Compile([Rule(current: "self.status.phase == 'Done'")]).Registry;
        var teamASameText = HealthRules.Compile([Rule(current: "self.status.phase == 'Ready'")]).Registry;

        var ready = Widget("{phase: Ready}");
        var done = Widget("{phase: Done}");
        var broken = Widget("{phase: Broken}");

        Assert.Equal(HealthCode.Healthy, teamA.Assess(ready)?.Code);
        Assert.Equal(HealthCode.Progressing, teamB.Assess(ready)?.Code);
        Assert.Equal(HealthCode.Progressing, teamA.Assess(done)?.Code);
        Assert.Equal(HealthCode.Healthy, teamB.Assess(done)?.Code);
        Assert.Equal(HealthCode.Degraded, teamA.Assess(broken)?.Code);
        Assert.Equal(HealthCode.Progressing, teamASameText.Assess(broken)?.Code);
        Assert.Null(HealthRegistry.Default.Assess(ready));
    }

    [Fact]
    public void Compile_RuleForBuiltInKind_ReplacesBuiltInCheck()
    {
        var registry = HealthRules.Compile([new HealthCheckRule { ApiVersion = "apps/v1", Kind = "StatefulSet", Current = "spec.replicas == status.availableReplicas" }]).Registry;
        var statefulSet = TestJson.Obj("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop}
            spec: {replicas: 2}
            status: {availableReplicas: 2}
            """);

        Assert.Equal("current: spec.replicas == status.availableReplicas", registry.Assess(statefulSet)?.Message);
    }

    [Fact]
    public void Assess_PendingDeletion_WinsOverRule()
    {
        var deleting = Widget("{phase: Ready}").With("/metadata/deletionTimestamp", "2025-01-01T00:00:00Z");

        Assert.Equal("Pending deletion", Registry("true").Assess(deleting)?.Message);
    }

    [Fact]
    public void Assess_ManyThreadsOneRegistry_EachObjectItsOwnAnswer()
    {
        var registry = Registry("self.status.count % 2 == 0");
        var objects = Enumerable.Range(0, 400).Select(n => Widget($"{{count: {n}}}")).ToArray();

        var health = objects.AsParallel().AsOrdered().Select(o => registry.Assess(o)!).ToArray();

        Assert.Equal(objects.Select((_, n) => n % 2 == 0 ? HealthCode.Healthy : HealthCode.Progressing), health.Select(h => h.Code));
    }

    private static HealthCheckRule Rule(string current, string? inProgress = null, string? failed = null) =>
        new() { ApiVersion = "example.com/v1", Kind = "Widget", Current = current, InProgress = inProgress, Failed = failed };
}
