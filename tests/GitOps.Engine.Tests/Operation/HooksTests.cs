using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Hooks;

namespace GitOps.Engine.Tests.Operation;

public class HooksTests
{
    private static GitOps.Engine.Model.Manifest Obj(string annotations, string meta = "name: x") =>
        TestJson.Man($"apiVersion: batch/v1\nkind: Job\nmetadata: {{{meta}, namespace: ns, annotations: {{{annotations}}}}}");

    // caseName, annotations, expected kinds ("" = kept in sync, "-" = left out, "!" = error), delete policy
    public static TheoryData<string, string, string, HookDeletePolicy> Split_TestData() => new()
    {
        { "no hook", "a: b", "", HookDeletePolicy.None },
        { "PreSync", "gitops.dev/hook: PreSync", "PreSync", HookDeletePolicy.BeforeHookCreation },
        { "two kinds", "gitops.dev/hook: 'PreSync,SyncFail'", "PreSync,SyncFail", HookDeletePolicy.BeforeHookCreation },
        { "delete policies", "gitops.dev/hook: PostSync, gitops.dev/hook-delete-policy: 'HookSucceeded,HookFailed'", "PostSync", HookDeletePolicy.HookSucceeded | HookDeletePolicy.HookFailed },
        { "helm pre-upgrade", "helm.sh/hook: 'pre-install,pre-upgrade'", "PreSync", HookDeletePolicy.BeforeHookCreation },
        { "helm post-install with its policy", "helm.sh/hook: post-install, helm.sh/hook-delete-policy: hook-succeeded", "PostSync", HookDeletePolicy.HookSucceeded },
        { "helm test is left out", "helm.sh/hook: test", "-", HookDeletePolicy.None },
        { "an unknown kind", "gitops.dev/hook: Later", "!", HookDeletePolicy.None },
        { "an unknown policy", "gitops.dev/hook: Sync, gitops.dev/hook-delete-policy: Never", "!", HookDeletePolicy.None },
        { "a bad timeout", "gitops.dev/hook: Sync, gitops.dev/hook-timeout: soon", "!", HookDeletePolicy.None },
    };

    [Theory]
    [MemberData(nameof(Split_TestData))]
    public void Split_Annotations_HookOrObject(string caseName, string annotations, string kinds, HookDeletePolicy policy)
    {
        var (objects, hooks, errors) = Hooks.Hooks.Split([Obj(annotations)]);
        var got = errors.Count > 0 ? "!" : objects.Count == 1 ? "" : hooks.Count == 0 ? "-" : string.Join(",", hooks[0].Kinds);
        Assert.True(got == kinds && (hooks.Count == 0 || hooks[0].DeletePolicy == policy), $"{caseName}: {got} {(hooks.Count > 0 ? hooks[0].DeletePolicy : "")} {string.Join(";", errors.Values)}");
    }

    [Fact]
    public void Split_GenerateNameWithoutHook_Error()
    {
        var (_, _, errors) = Hooks.Hooks.Split([Obj("a: b", "generateName: x-")]);
        Assert.Contains("only a hook", errors.Values.Single(), StringComparison.Ordinal);
    }

    // caseName, object, expected phase, message part
    public static TheoryData<string, string, HookPhase, string> Assess_TestData() => new()
    {
        { "a Job running", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"active":1}}""", HookPhase.Running, "running" },
        { "a Job complete", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[{"type":"Complete","status":"True"}]}}""", HookPhase.Succeeded, "completed" },
        { "a Job failed", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"too many"}]}}""", HookPhase.Failed, "BackoffLimitExceeded: too many" },
        { "a Pod pending", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Pending"}}""", HookPhase.Running, "Pending" },
        { "a Pod failed", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Failed","message":"OOMKilled"}}""", HookPhase.Failed, "OOMKilled" },
        { "a ConfigMap", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""", HookPhase.Succeeded, "" },
    };

    [Theory]
    [MemberData(nameof(Assess_TestData))]
    public void Assess_LiveObject_Phase(string caseName, string json, HookPhase phase, string message)
    {
        var (got, text) = Hooks.Hooks.Assess(JsonNode.Parse(json)!.AsObject(), HealthRegistry.Default);
        Assert.True(got == phase && text.Contains(message, StringComparison.Ordinal), $"{caseName}: {got} {text}");
    }
}
