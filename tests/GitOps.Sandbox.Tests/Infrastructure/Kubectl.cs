using GitOps.Testing;

namespace GitOps.Sandbox.Tests.Infrastructure;

/// <summary>Runs the pinned kubectl or helm against the test's API target.</summary>
internal static class Kubectl
{
    public static Task<ProcessResult> RunAsync(ApiTarget target, params string[] args) =>
        ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", target.KubeconfigPath, .. args]);

    public static Task<ProcessResult> RunWithInputAsync(ApiTarget target, string stdin, params string[] args) =>
        ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", target.KubeconfigPath, .. args], stdin);

    public static async Task<string> OkAsync(ApiTarget target, params string[] args)
    {
        var result = await RunAsync(target, args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        return result.StdOut;
    }

    public static async Task<string> OkWithInputAsync(ApiTarget target, string stdin, params string[] args)
    {
        var result = await RunWithInputAsync(target, stdin, args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        return result.StdOut;
    }

    public static Task<ProcessResult> HelmAsync(ApiTarget target, params string[] args) =>
        ProcessRunner.RunAsync(ToolPaths.Helm, [.. args, "--kubeconfig", target.KubeconfigPath],
            environment: new Dictionary<string, string>
            {
                ["HELM_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "gitops-helm-cache"),
                ["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "gitops-helm-config"),
                ["HELM_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "gitops-helm-data"),
            });
}
