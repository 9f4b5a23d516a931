using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

/// <summary>
/// kubectl's --validate against server-side field validation: strict (the default) sends
/// fieldValidation=Strict, warn sends Warn and prints the server's warnings, false sends Ignore.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FieldValidationTests(ApiTarget target)
{
    private const string Typo = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: typo}
        spec:
          replicass: 2
          selector: {matchLabels: {app: typo}}
          template:
            metadata: {labels: {app: typo}}
            spec:
              containers:
              - {name: app, image: nginx:1.27}
        """;

    [Fact]
    public async Task Apply_UnknownFieldByDefault_FailsWithServersStrictDecodingError()
    {
        var ns = await target.NewNamespaceAsync("fv");
        using var file = KubectlKit.Write(Typo);

        var result = await Kubectl.RunAsync(target, "apply", "-n", ns, "-f", file.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error from server (BadRequest): error when creating \"{file.Path}\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicass\"", result.StdErr);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "deployment/typo"));
    }

    public static TheoryData<string, string, string[]> LenientValidate_TestData() => new()
    {
        { "warn: the server's warning printed", "--validate=warn", ["Warning: unknown field \"spec.replicass\""] },
        { "false: silently", "--validate=false", [] },
    };

    [Theory]
    [MemberData(nameof(LenientValidate_TestData))]
    public async Task Apply_UnknownFieldLenientValidate_CreatesWithoutTheField(string caseName, string validate, string[] stderr)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("fv");
        using var file = KubectlKit.Write(Typo);

        var result = await Kubectl.RunAsync(target, "apply", validate, "-n", ns, "-f", file.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("deployment.apps/typo created", result.StdOut);
        Assert.Equal(stderr, KubectlKit.UnexpectedStdErr(result.StdErr));
        var deployment = await KubectlKit.GetJsonAsync(target, ns, "deployment/typo");
        Assert.Null(deployment["spec"]?["replicass"]);
    }

    [Fact]
    public async Task Apply_UnknownFieldOnExistingObject_FailsWithStrategicPatchStrictError()
    {
        var ns = await target.NewNamespaceAsync("fv");
        using var file = KubectlKit.Write(Typo.Replace("  replicass: 2\n", "", StringComparison.Ordinal));
        await Kubectl.OkAsync(target, "apply", "-n", ns, "-f", file.Path);
        file.Update(Typo);

        var result = await Kubectl.RunAsync(target, "apply", "-n", ns, "-f", file.Path);

        // A three-way strategic merge patch: 422 Invalid with the patch as its value, which kubectl prints as "The request is invalid".
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("The request is invalid: patch: Invalid value: \"map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:", result.StdErr);
        Assert.Contains("spec:map[replicass:2]]\": strict decoding error: unknown field \"spec.replicass\"", result.StdErr);
    }

    [Fact]
    public async Task ServerSideApply_UnknownField_FailsWhateverValidateSays()
    {
        var ns = await target.NewNamespaceAsync("fv");
        using var file = KubectlKit.Write(Typo);

        var result = await Kubectl.RunAsync(target, "apply", "--server-side", "--validate=false", "-n", ns, "-f", file.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"failed to create typed patch object ({ns}/typo; apps/v1, Kind=Deployment): .spec.replicass: field not declared in schema", result.StdErr);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, "deployment/typo"));
    }
}
