namespace GitOps.Testing;

/// <summary>
/// Where tests find the repository and the pinned external tools. <c>scripts/install-tools.sh</c>
/// installs kubectl, helm and promtool into <c>.tools/bin</c>; tests use those, never whatever
/// happens to be on the machine (such as <c>/usr/bin/kubectl</c>). Test projects include this file
/// with <c>&lt;Compile Include="../Shared/*.cs" /&gt;</c>.
/// </summary>
internal static class ToolPaths
{
    private const string SolutionFileName = "GitOps.Operator.sln";

    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The folder holding <c>GitOps.Operator.sln</c>.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>The project's shared folder, which lies beside the repository: <c>&lt;repo root&gt;/../shared</c>.</summary>
    public static string SharedDir => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary><c>&lt;repo root&gt;/.tools/bin</c>, to put first on a child process's PATH.</summary>
    public static string ToolsBinDir => Path.Combine(RepoRoot, ".tools", "bin");

    /// <summary>The pinned kubectl (kustomize built in: <c>kubectl kustomize</c>).</summary>
    public static string Kubectl => Tool("kubectl");

    /// <summary>The pinned helm.</summary>
    public static string Helm => Tool("helm");

    /// <summary>The pinned promtool.</summary>
    public static string Promtool => Tool("promtool");

    /// <summary>
    /// <c>&lt;repo root&gt;/.tools/node/node_modules</c>: the pinned JavaScript SOPS and age
    /// implementations (sops-age, age-encryption) the interoperability tests run with node.
    /// </summary>
    public static string NodePackage(string name)
    {
        var path = Path.Combine(RepoRoot, ".tools", "node", "node_modules", name);
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"the npm package {name} is missing at {path}: run scripts/install-tools.sh");
        return path;
    }

    private static string Tool(string name)
    {
        var path = Path.Combine(ToolsBinDir, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{name} is missing at {path}: run scripts/install-tools.sh (it installs the pinned " +
                "kubectl, helm and promtool into .tools/bin).",
                path);
        }

        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No {SolutionFileName} in {AppContext.BaseDirectory} or any folder above it; " +
            "ToolPaths works only for tests built inside the repository.");
    }
}
