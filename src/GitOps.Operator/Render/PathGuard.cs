namespace GitOps.Operator.Render;

/// <summary>
/// The checks every tool render passes before any process starts (the Argo CD and Flux path CVE
/// classes): no symlink anywhere in the repository leaves it, and every path a renderer is told
/// about (valueFiles, kustomize resources, patches, generator files) is relative and stays inside.
/// </summary>
public static class PathGuard
{
    /// <summary>
    /// Refuses the tree when any symlink in it (however deep) points outside the root. A tree whose
    /// <paramref name="shape"/> the source counted when it wrote it (it never changes after) and that
    /// holds no symlink and not too many entries passes without being walked again.
    /// </summary>
    public static void CheckSymlinks(string root, Source.TreeShape? shape = null, int maxEntries = 200_000)
    {
        if (shape is { Symlinks: 0 } && shape.Entries <= maxEntries) return;
        root = Path.GetFullPath(root);
        var seen = 0;
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                if (++seen > maxEntries) throw new RenderException($"the repository has more than {maxEntries} files");
                if (entry.Name == ".git" && dir == root) continue;
                if (entry.LinkTarget is not null)
                {
                    var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(entry.FullName)!, entry.LinkTarget));
                    var final = entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? target;
                    if (!IsInside(root, target) || !IsInside(root, Path.GetFullPath(final)))
                        throw new RenderException($"symlink \"{Relative(root, entry.FullName)}\" points outside the repository");
                    continue;
                }
                if (entry is DirectoryInfo) pending.Push(entry.FullName);
            }
        }
    }

    /// <summary>
    /// Resolves a path written in a file of the repository (relative to <paramref name="baseDir"/>),
    /// refusing absolute paths, URLs and anything that leaves the root.
    /// </summary>
    public static string Resolve(string root, string baseDir, string reference, string field)
    {
        root = Path.GetFullPath(root);
        var trimmed = reference.Trim();
        if (trimmed.Length == 0) throw new RenderException($"{field} has an empty path");
        if (IsRemote(trimmed)) throw new RenderException($"{field} \"{reference}\" is a remote location, which is not allowed");
        if (Path.IsPathRooted(trimmed) || trimmed.StartsWith('~'))
            throw new RenderException($"{field} \"{reference}\" must be a relative path inside the repository");
        var full = Path.GetFullPath(Path.Combine(baseDir, trimmed));
        if (!IsInside(root, full)) throw new RenderException($"{field} \"{reference}\" leaves the repository");
        RepositoryPaths.CheckLinks(root, full, Relative(root, full));
        return full;
    }

    public static bool IsRemote(string reference) =>
        reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith("git@", StringComparison.Ordinal) ||
        reference.StartsWith("github.com/", StringComparison.Ordinal) || reference.StartsWith("gitlab.com/", StringComparison.Ordinal) ||
        reference.StartsWith("bitbucket.org/", StringComparison.Ordinal) || reference.Contains("?ref=", StringComparison.Ordinal) ||
        reference.StartsWith("oci:", StringComparison.Ordinal);

    public static bool IsInside(string root, string full) => Source.SafePaths.IsInside(root, full);

    public static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');
}
