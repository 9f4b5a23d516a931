using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

/// <summary>The classic GitOps failure: re-applying a Deployment whose selector changed.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImmutableFieldsTests(ApiTarget target)
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: APP}}
          template:
            metadata: {labels: {app: APP}}
            spec:
              containers:
              - {name: web, image: nginx:1.27}
        """;

    public static TheoryData<string, string[]> Apply_TestData() => new()
    {
        { "client-side apply", [] },
        { "server-side apply", ["--server-side"] },
    };

    [Theory]
    [MemberData(nameof(Apply_TestData))]
    public async Task Apply_ChangedSelector_FailsWithFieldIsImmutable(string caseName, string[] flags)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("immctl");
        using var file = KubectlKit.Write(Deployment.Replace("APP", "web", StringComparison.Ordinal));
        await Kubectl.OkAsync(target, ["apply", .. flags, "-n", ns, "-f", file.Path]);
        var before = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        file.Update(Deployment.Replace("APP", "web2", StringComparison.Ordinal));

        var result = await Kubectl.RunAsync(target, ["apply", .. flags, "-n", ns, "-f", file.Path]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var errors = KubectlKit.UnexpectedStdErr(result.StdErr);
        var expected = "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable";
        if (target.IsRealCluster) Assert.Contains(errors, e => e.Contains("spec.selector", StringComparison.Ordinal) && e.EndsWith("field is immutable", StringComparison.Ordinal));
        else Assert.Equal([expected], errors);
        var after = await KubectlKit.GetJsonAsync(target, ns, "deployment/web");
        Assert.Equal("web", KubectlKit.Str(after["spec"]?["selector"]?["matchLabels"]?["app"]));
        Assert.Equal(before["metadata"]?["generation"]?.ToJsonString(), after["metadata"]?["generation"]?.ToJsonString());
    }
}
