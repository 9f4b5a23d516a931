using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Engine.Policy;
using GitOps.Engine.Policy.Guardrails;

namespace GitOps.Engine.Tests.Policy;

public class GuardrailTests
{
    private static Manifest Deployment(string container) => Manifest.From(JsonNode.Parse(
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app","labels":{"team":"a"}},"spec":{"template":{"spec":{"containers":["""
        + container + "]}}}}")!.AsObject());

    private static Manifest Pod(string spec) => Manifest.From(JsonNode.Parse(
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"app"},"spec":""" + spec + "}")!.AsObject());

    private static readonly Manifest Secret = Manifest.From(JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"app"},"data":{"k":"dg=="}}""")!.AsObject());
    private static readonly Manifest ConfigMap = Manifest.From(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"app"}}""")!.AsObject());
    private const string Good = """{"name":"web","image":"nginx:1.27","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}""";

    private static GuardrailSettings Only(string rule, PolicyAction action = PolicyAction.Block, params string[] labels) =>
        new(new Dictionary<string, PolicyAction> { [rule] = action }, labels);

    public static TheoryData<string, Manifest, GuardrailSettings, string[]> Check_TestData() => new()
    {
        { "plain Secret refused by default", Secret, GuardrailSettings.Default, ["Secret/app/s: no-plain-secrets: a Secret in plain text in Git; encrypt it (SOPS) or create it outside Git"] },
        { "ConfigMap passes the default", ConfigMap, GuardrailSettings.Default, [] },
        { "Secret decrypted from SOPS passes", Secret.AsEncryptedInGit(), GuardrailSettings.Default, [] },
        { "decrypted Secret changed by a transform keeps the mark", Secret.AsEncryptedInGit().With(o => o["metadata"]!["namespace"] = "other"), GuardrailSettings.Default, [] },
        { "a sops field written in Git is no mark", Manifest.From(JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"app","annotations":{"gitops.dev/encrypted":"true"}},"sops":{"mac":"x"},"data":{"k":"dg=="}}""")!.AsObject()), GuardrailSettings.Default, ["Secret/app/s: no-plain-secrets: a Secret in plain text in Git; encrypt it (SOPS) or create it outside Git"] },
        { "plain Secret allowed when the rule is off", Secret, Only(PlainSecretRule.RuleName, PolicyAction.Off), [] },
        { "required label missing", ConfigMap, Only(RequiredLabelsRule.RuleName, PolicyAction.Block, "team", "owner"), ["ConfigMap/app/c: required-labels: missing label(s) team, owner"] },
        { "required labels present", Deployment(Good), Only(RequiredLabelsRule.RuleName, PolicyAction.Block, "team"), [] },
        { "no limits", Deployment("""{"name":"web","image":"nginx:1.27"}"""), Only(ResourceLimitsRule.RuleName), ["Deployment/app/web: resource-limits: container \"web\" has no cpu or memory limit"] },
        { "memory limit only", Deployment("""{"name":"web","image":"nginx:1.27","resources":{"limits":{"memory":"1Gi"}}}"""), Only(ResourceLimitsRule.RuleName), ["Deployment/app/web: resource-limits: container \"web\" has no cpu limit"] },
        { "limits set", Deployment(Good), Only(ResourceLimitsRule.RuleName), [] },
        { "image without tag", Deployment("""{"name":"web","image":"nginx"}"""), Only(ImageTagRule.RuleName), ["Deployment/app/web: image-tag: container \"web\" image \"nginx\" has no tag (it means :latest)"] },
        { "registry port is not a tag", Deployment("""{"name":"web","image":"registry:5000/team/web"}"""), Only(ImageTagRule.RuleName), ["Deployment/app/web: image-tag: container \"web\" image \"registry:5000/team/web\" has no tag (it means :latest)"] },
        { "latest", Deployment("""{"name":"web","image":"nginx:latest"}"""), Only(ImageTagRule.RuleName), ["Deployment/app/web: image-tag: container \"web\" image \"nginx:latest\" uses :latest"] },
        { "digest pinned", Deployment("""{"name":"web","image":"nginx@sha256:0123"}"""), Only(ImageTagRule.RuleName), [] },
        { "tag with registry port", Deployment("""{"name":"web","image":"registry:5000/web:1.0"}"""), Only(ImageTagRule.RuleName), [] },
        { "privileged init container", Deployment("""{"name":"web","image":"a:1"}],"initContainers":[{"name":"init","image":"b:1","securityContext":{"privileged":true}}"""), Only(PrivilegedRule.RuleName), ["Deployment/app/web: no-privileged: container \"init\" is privileged"] },
        { "hostPath volume", Pod("""{"containers":[],"volumes":[{"name":"root","hostPath":{"path":"/"}}]}"""), Only(HostPathRule.RuleName), ["Pod/app/p: no-host-path: volume \"root\" mounts the node's /"] },
        { "hostNetwork", Pod("""{"containers":[],"hostNetwork":true}"""), Only(HostNetworkRule.RuleName), ["Pod/app/p: no-host-network: uses the node's network (hostNetwork: true)"] },
        { "warn only", Pod("""{"containers":[],"hostNetwork":true}"""), Only(HostNetworkRule.RuleName, PolicyAction.Warn), ["Pod/app/p: no-host-network: uses the node's network (hostNetwork: true) (warning)"] },
    };

    [Theory]
    [MemberData(nameof(Check_TestData))]
    public void Check_Object_ReportsViolations(string caseName, Manifest manifest, GuardrailSettings settings, string[] expected)
    {
        var report = GuardrailChecker.Check([manifest], settings);

        Assert.True(expected.SequenceEqual(report.Violations.Select(v => v.ToString())), $"{caseName}: got\n{report}");
    }

    [Fact]
    public void Check_BlockAndWarn_BlockingFirstAndHasBlocking()
    {
        var settings = new GuardrailSettings(new Dictionary<string, PolicyAction> { [PlainSecretRule.RuleName] = PolicyAction.Block, [ImageTagRule.RuleName] = PolicyAction.Warn }, []);

        var report = GuardrailChecker.Check([Deployment("""{"name":"web","image":"nginx"}"""), Secret], settings);

        Assert.True(report.HasBlocking);
        Assert.Equal([PlainSecretRule.RuleName, ImageTagRule.RuleName], report.Violations.Select(v => v.Rule));
        Assert.Single(report.Warnings);
    }
}
