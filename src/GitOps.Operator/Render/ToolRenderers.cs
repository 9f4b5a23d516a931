namespace GitOps.Operator.Render;

/// <summary>What the tool renderers share: the checked directory of a request and a tool's clean environment.</summary>
internal static class ToolRenderers
{
    /// <summary>The application's directory when the path is safe and exists; otherwise null (the directory renderer reports why).</summary>
    public static string? TryDirectory(RenderRequest request)
    {
        try
        {
            return RepositoryPaths.ResolveDirectory(Path.GetFullPath(request.RepositoryRoot), request.Path);
        }
        catch (RenderException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The whole environment a tool gets: a PATH of system directories, a HOME (plus HELM_*
    /// homes) private to the operator, and the Go runtime's GC settings. Nothing of the operator's own environment is passed on.
    /// </summary>
    public static Dictionary<string, string> Environment(RenderToolOptions options, string toolFile, string tool)
    {
        var home = Path.Combine(options.WorkDirectory, "home", tool);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = string.Join(':', new[] { Path.GetDirectoryName(Path.GetFullPath(toolFile)) ?? "", "/usr/local/bin", "/usr/bin", "/bin" }.Where(p => p.Length > 0).Distinct()),
            ["HOME"] = home,
            ["KUBECONFIG"] = Path.Combine(home, "no-kubeconfig"),
            ["LANG"] = "C.UTF-8",
            ["GOGC"] = options.ToolGoGC,
            ["GOMEMLIMIT"] = options.ToolGoMemoryLimit,
        };
        if (tool == "helm")
        {
            var helm = Path.Combine(options.WorkDirectory, "helm");
            env["HELM_CACHE_HOME"] = Path.Combine(helm, "cache");
            env["HELM_CONFIG_HOME"] = Path.Combine(helm, "config");
            env["HELM_DATA_HOME"] = Path.Combine(helm, "data");
            env["HELM_PLUGINS"] = Path.Combine(helm, "plugins");
            env["HELM_REGISTRY_CONFIG"] = Path.Combine(helm, "config", "registry.json");
            env["HELM_REPOSITORY_CONFIG"] = Path.Combine(helm, "config", "repositories.yaml");
            env["HELM_REPOSITORY_CACHE"] = Path.Combine(helm, "cache", "repository");
            foreach (var dir in new[] { env["HELM_CACHE_HOME"], env["HELM_CONFIG_HOME"], env["HELM_DATA_HOME"], env["HELM_PLUGINS"] }) Directory.CreateDirectory(dir);
        }
        Directory.CreateDirectory(home);
        return env;
    }
}
