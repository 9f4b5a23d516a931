using System.Text.Json.Nodes;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// spec.healthChecks: a custom resource's health comes from the Application's CEL rule and follows
/// its status as its controller (here: the test) changes it; a rule that does not compile stalls the
/// Application with a condition naming the rule and the CEL error, and nothing is applied.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HealthChecksTests(OperatorFixture fx)
{
    [Fact]
    public async Task CustomResource_RuleOfTheApplication_HealthFollowsItsStatus()
    {
        using var s = await Scenario.StartAsync(fx, "health");
        var group = await InstallWidgetCrdAsync(s);
        var rev = await s.PushAsync("a widget", ("app/widget.yaml", Widget(group)));

        await s.CreateAppAsync(extraSpec: HealthChecks(group,
            current: "has(self.status) && has(self.status.phase) && self.status.phase == 'Ready'",
            failed: "has(self.status) && has(self.status.conditions) && self.status.conditions.exists(c, c.type == 'Ready' && c.status == 'False')"));

        // Without the rule a Widget with no conditions has no health opinion (Healthy); the rule says not yet.
        var app = await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, rev) && Health(a) == "Progressing", "synced, the widget not ready by the rule");
        Assert.Equal("Progressing", ResourceHealth(app, "one"));

        await SetStatusAsync(s, """{"status":{"phase":"Ready","conditions":[{"type":"Ready","status":"True"}]}}""");
        app = await s.WaitAsync(a => Health(a) == "Healthy", "healthy once the widget's status says Ready");
        Assert.Equal("Healthy", ResourceHealth(app, "one"));

        await SetStatusAsync(s, """{"status":{"phase":"Ready","conditions":[{"type":"Ready","status":"False"}]}}""");
        app = await s.WaitAsync(a => Health(a) == "Degraded", "degraded once its Ready condition is False");
        Assert.StartsWith("failed: has(self.status) && has(self.status.conditions)", (string?)app["status"]?["health"]?["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuleThatDoesNotCompile_ApplicationStalled_NothingApplied()
    {
        using var s = await Scenario.StartAsync(fx, "badhealth");
        var rev = await s.PushAsync("settings", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));

        await s.CreateAppAsync(extraSpec: HealthChecks("example.com", current: "self.status.phase.lowerAscii() == 'ready'"));

        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "Stalled"), "stalled by the health rule");
        var stalled = (app["status"]!["conditions"] as JsonArray)!.First(c => (string?)c?["type"] == "Stalled")!;
        Assert.Equal("HealthCheckInvalid", (string?)stalled["reason"]);
        Assert.StartsWith("spec.healthChecks: healthChecks[0] (Widget example.com/v1): current: unknown function 'lowerAscii'", (string?)stalled["message"], StringComparison.Ordinal);
        Assert.True(OperatorFixture.HasCondition(app, "Ready", "False"));
        Assert.Null(await s.ConfigMapAsync("settings"));

        // Fixing the rule (a new generation) lets the Application sync.
        await s.CreateAppAsync(extraSpec: HealthChecks("example.com", current: "self.status.phase == 'Ready'"));
        await s.WaitSyncedAsync(rev);
        Assert.NotNull(await s.ConfigMapAsync("settings"));
    }

    private async Task<string> InstallWidgetCrdAsync(Scenario s)
    {
        var group = $"{s.Namespace}.example.com";
        await fx.ApplyYamlAsync($$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.{{group}}
            spec:
              group: {{group}}
              scope: Namespaced
              names: { plural: widgets, singular: widget, kind: Widget }
              versions:
              - name: v1
                served: true
                storage: true
                subresources: { status: {} }
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
                      status: { type: object, x-kubernetes-preserve-unknown-fields: true }
            """);
        await fx.KubectlOkAsync("wait", "--for=condition=Established", $"crd/widgets.{group}", "--timeout=30s");
        return group;
    }

    private static string Widget(string group) => $"apiVersion: {group}/v1\nkind: Widget\nmetadata:\n  name: one\nspec:\n  size: 3\n";

    private static string HealthChecks(string group, string current, string? failed = null) =>
        $"  healthChecks:\n  - apiVersion: {group}/v1\n    kind: Widget\n    current: \"{current}\"" + (failed is null ? "" : $"\n    failed: \"{failed}\"");

    /// <summary>What the Widget's controller would do: write its status through the status subresource.</summary>
    private Task SetStatusAsync(Scenario s, string patch) =>
        fx.KubectlOkAsync("patch", "-n", s.Namespace, "widgets.v1." + $"{s.Namespace}.example.com", "one", "--subresource=status", "--type=merge", "-p", patch);

    private static string? Health(JsonObject app) => (string?)app["status"]?["health"]?["status"];

    private static string? ResourceHealth(JsonObject app, string name) =>
        (string?)(app["status"]?["resources"] as JsonArray)?.FirstOrDefault(r => (string?)r?["kind"] == "Widget" && (string?)r?["name"] == name)?["health"];
}
