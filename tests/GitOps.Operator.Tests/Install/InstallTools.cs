using GitOps.Sandbox;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Install;

/// <summary>The pinned helm and kubectl, run without a shell; failures carry the tool's output.</summary>
internal static class InstallTools
{
    public static Task<ProcessResult> HelmAsync(params string[] args) =>
        ProcessRunner.RunAsync(ToolPaths.Helm, args, environment: HelmEnvironment());

    public static async Task<string> HelmOkAsync(params string[] args)
    {
        var result = await HelmAsync(args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"helm {string.Join(' ', args)} failed: {result}");
        return result.StdOut;
    }

    /// <summary>`helm template` of the chart with one values case (CRDs left out unless asked).</summary>
    public static Task<string> TemplateAsync(string valuesFile, bool includeCrds = false) =>
        HelmOkAsync(["template", InstallPaths.Release, InstallPaths.Chart, "--namespace", InstallPaths.Namespace, "-f", valuesFile,
            .. (includeCrds ? new[] { "--include-crds" } : [])]);

    /// <summary>helm keeps its cache and config in a private folder, never the user's.</summary>
    private static Dictionary<string, string> HelmEnvironment()
    {
        var home = Path.Combine(Path.GetTempPath(), "gitops-install-tests-helm");
        return new()
        {
            ["HELM_CACHE_HOME"] = Path.Combine(home, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(home, "data"),
        };
    }
}

/// <summary>A sandbox API server with a kubeconfig, for kubectl and helm.</summary>
internal sealed class InstallSandbox : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-install-").FullName;

    public SandboxServer Server { get; private set; } = null!;
    public string Kubeconfig { get; private set; } = "";
    public string Dir => _dir;

    public static async Task<InstallSandbox> StartAsync()
    {
        var sandbox = new InstallSandbox();
        sandbox.Server = await SandboxServer.StartAsync(SandboxOptions.Default with { WorkloadReadyDelay = TimeSpan.FromMilliseconds(100) });
        sandbox.Kubeconfig = sandbox.Server.WriteKubeconfig(Path.Combine(sandbox._dir, "kubeconfig"));
        return sandbox;
    }

    public Task<ProcessResult> KubectlAsync(string? stdin, params string[] args) =>
        ProcessRunner.RunAsync(ToolPaths.Kubectl, ["--kubeconfig", Kubeconfig, .. args], stdin);

    public async Task<string> KubectlOkAsync(string? stdin, params string[] args)
    {
        var result = await KubectlAsync(stdin, args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed: {result}");
        return result.StdOut;
    }

    public Task<string> HelmOkAsync(params string[] args) => InstallTools.HelmOkAsync([.. args, "--kubeconfig", Kubeconfig]);

    public async Task CreateNamespacesAsync(params string[] names)
    {
        foreach (var name in names)
            await KubectlOkAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n", "apply", "--server-side", "-f", "-");
    }

    /// <summary>The Application CRD and stand-ins for the Prometheus Operator CRDs (ServiceMonitor, PrometheusRule).</summary>
    public async Task InstallCrdsAsync()
    {
        await KubectlOkAsync(null, "apply", "--server-side", "-f", InstallPaths.Crd);
        foreach (var (plural, kind) in new[] { ("servicemonitors", "ServiceMonitor"), ("prometheusrules", "PrometheusRule") })
        {
            await KubectlOkAsync($$"""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: { name: {{plural}}.monitoring.coreos.com }
                spec:
                  group: monitoring.coreos.com
                  scope: Namespaced
                  names: { plural: {{plural}}, singular: {{kind.ToLowerInvariant()}}, kind: {{kind}}, listKind: {{kind}}List }
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
                """, "apply", "--server-side", "-f", "-");
        }
        await KubectlOkAsync(null, "wait", "--for=condition=Established", "crd/applications.gitops.dev",
            "crd/servicemonitors.monitoring.coreos.com", "crd/prometheusrules.monitoring.coreos.com", "--timeout=30s");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
