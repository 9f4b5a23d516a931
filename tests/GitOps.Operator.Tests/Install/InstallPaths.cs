using GitOps.Testing;

namespace GitOps.Operator.Tests.Install;

/// <summary>Where the install artefacts live in the repository.</summary>
internal static class InstallPaths
{
    public static string Chart => Path.Combine(ToolPaths.RepoRoot, "charts", "gitops-operator");
    public static string ChartCrd => Path.Combine(Chart, "crds", "application.yaml");
    public static string ChartAlertRules => Path.Combine(Chart, "files", "gitops-alerts.rules.yaml");
    public static string ChartValues => Path.Combine(Chart, "values.yaml");
    public static string Crd => Path.Combine(ToolPaths.RepoRoot, "crds", "application.yaml");
    public static string InstallYaml => Path.Combine(ToolPaths.RepoRoot, "deploy", "install.yaml");
    public static string AlertRules => Path.Combine(ToolPaths.RepoRoot, "deploy", "alerts", "gitops-alerts.rules.yaml");
    public static string RenderScript => Path.Combine(ToolPaths.RepoRoot, "scripts", "render-install.sh");
    public static string Dockerfile => Path.Combine(ToolPaths.RepoRoot, "Dockerfile");
    public static string Workflows => Path.Combine(ToolPaths.RepoRoot, ".github", "workflows");
    public static string SelfManageExample => Path.Combine(ToolPaths.RepoRoot, "examples", "self-manage");

    /// <summary>The release name and namespace the tests and deploy/install.yaml use.</summary>
    public const string Release = "gitops-operator";
    public const string Namespace = "gitops-system";
}

/// <summary>A [Fact] that is skipped, with the reason, while a repository file does not exist yet.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FactWhenRepoFileExistsAttribute : FactAttribute
{
    public FactWhenRepoFileExistsAttribute(string relativePath, string why)
    {
        if (!File.Exists(Path.Combine(ToolPaths.RepoRoot, relativePath)))
            Skip = $"{relativePath} does not exist yet: {why}";
    }
}
