using GitOps.Operator.Cluster;
using GitOps.Operator.Demo;
using GitOps.Operator.Render;
using GitOps.Operator.Source;
using k8s.Exceptions;

namespace GitOps.Operator.Cli;

/// <summary>A failure a person can act on: one line that says what is wrong and what to do.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Turns the failures a command meets into one line each (never a stack trace for these).</summary>
public static class CliErrors
{
    /// <summary>The one-line explanation of a known failure, or null for a bug (which keeps its stack trace).</summary>
    public static string? Describe(Exception e, string? server = null) => e switch
    {
        CliException c => c.Message,
        DemoException d => d.Message,
        KubeConfigException k => $"cannot read the kubeconfig: {k.Message} (pass --kubeconfig FILE, set KUBECONFIG, or run `gitops demo` for a local sandbox)",
        KubeApiException { Code: 0 } k => $"cannot reach the Kubernetes API{(server is null ? "" : " at " + server)}: {FirstLine(k.Message)} (is the cluster running? check --kubeconfig and --context)",
        KubeApiException { Code: 401 } => "the API server rejected the credentials in the kubeconfig (401 Unauthorized): log in again or pick another --context",
        KubeApiException { Code: 403 } k => $"forbidden by RBAC: {FirstLine(k.Message)} (ask an admin for a Role granting it, or use another --context)",
        KubeApiException k => $"the API server answered {k.Code} {k.Reason}: {FirstLine(k.Message)}",
        SourceException s => $"cannot read the Git source: {FirstLine(s.Message)}",
        RenderException r => $"cannot render the manifests: {FirstLine(r.Describe())}",
        Applications.TerminalReconcileException t => $"the Application's spec is wrong: {FirstLine(t.Message)}",
        HttpRequestException h => $"cannot reach the Kubernetes API{(server is null ? "" : " at " + server)}: {FirstLine(h.Message)} (is the cluster running? check --kubeconfig and --context)",
        _ => null,
    };

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
