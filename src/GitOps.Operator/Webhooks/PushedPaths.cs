namespace GitOps.Operator.Webhooks;

/// <summary>
/// Whether a push's changed files touch an Application's source: a file under its path, or one of
/// its Helm value files (relative to the path, as Argo CD reads them). Files a Kustomize overlay reads
/// from outside its path (<c>../base</c>) are not seen, so the answer orders work and never skips it.
/// </summary>
public static class PushedPaths
{
    /// <summary>True when <paramref name="changedFiles"/> is null (not listed: anything may have changed) or a file is under one of the paths.</summary>
    public static bool Touches(IReadOnlyCollection<string>? changedFiles, string? appPath, IEnumerable<string> valueFiles)
    {
        if (changedFiles is null) return true;
        var root = Normalize(appPath);
        if (root is null) return true;
        var prefixes = new List<string> { root };
        foreach (var file in valueFiles)
            if (Normalize(root.Length == 0 ? file : root + "/" + file) is { } resolved) prefixes.Add(resolved);
        return changedFiles.Any(f => Normalize(f) is { } changed && prefixes.Any(p => Under(changed, p)));
    }

    private static bool Under(string file, string prefix) =>
        prefix.Length == 0 || file == prefix || (file.Length > prefix.Length && file[prefix.Length] == '/' && file.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>A repository-relative path without "." segments, "..", or slashes at either end ("" is the root); null when it climbs out of the repository.</summary>
    internal static string? Normalize(string? path)
    {
        var parts = new List<string>();
        foreach (var part in (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
