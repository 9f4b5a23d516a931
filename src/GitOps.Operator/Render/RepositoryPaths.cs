namespace GitOps.Operator.Render;

/// <summary>
/// Keeps every path inside the repository: no absolute paths, no "..", and no symlink (at any
/// level) whose target leaves the repository root.
/// </summary>
public static class RepositoryPaths
{
    /// <summary>The full path of an application's directory, checked to stay inside the repository.</summary>
    public static string ResolveDirectory(string root, string relative)
    {
        root = Path.GetFullPath(root);
        var cleaned = string.IsNullOrWhiteSpace(relative) ? "." : relative.Trim();
        if (Path.IsPathRooted(cleaned))
            throw new RenderException($"path \"{relative}\" must be relative to the repository root");
        if (cleaned.Replace('\\', '/').Split('/').Any(s => s == ".."))
            throw new RenderException($"path \"{relative}\" must not contain \"..\"");
        var full = Path.GetFullPath(Path.Combine(root, cleaned));
        EnsureInside(root, full, relative);
        CheckLinks(root, full, relative);
        if (!Directory.Exists(full))
            throw new RenderException($"path \"{relative}\" does not exist in the repository");
        return full;
    }

    /// <summary>Refuses a file or directory that is, or sits below, a symlink pointing outside the root.</summary>
    public static void CheckLinks(string root, string full, string shownAs)
    {
        root = Path.GetFullPath(root);
        var current = root;
        var relative = Path.GetRelativePath(root, full);
        if (relative == ".") return;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (!info.Exists && !Directory.Exists(current)) return;
            if (info.LinkTarget is null) continue;
            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName
                         ?? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, info.LinkTarget));
            if (!IsInside(root, Path.GetFullPath(target)))
                throw new RenderException($"symlink \"{Path.GetRelativePath(root, current)}\" points outside the repository", shownAs);
        }
    }

    public static void EnsureInside(string root, string full, string shownAs)
    {
        if (!IsInside(root, full)) throw new RenderException($"path \"{shownAs}\" leaves the repository");
    }

    private static bool IsInside(string root, string full) =>
        full == root || full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
