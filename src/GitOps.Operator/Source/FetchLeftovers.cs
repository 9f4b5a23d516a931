namespace GitOps.Operator.Source;

/// <summary>
/// What a fetch or a tree write leaves behind when it fails, times out or its process is killed:
/// libgit2's temp packs (<c>objects/pack/pack_git2_*</c>), temp loose objects (<c>tmp_*</c>), lock
/// files (<c>*.lock</c>, which would make every later ref update fail) and half-written trees
/// (<c>trees/.tmp-*</c>). Removed from a repository before each fetch, under its lock (nothing else
/// of this process writes it then, and the cache belongs to one process), and from the trees folder
/// when a <see cref="GitSource"/> starts.
/// </summary>
internal static class FetchLeftovers
{
    /// <returns>How many entries were removed.</returns>
    public static int RemoveFromRepository(string repoDirectory)
    {
        if (!Directory.Exists(repoDirectory)) return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(repoDirectory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".lock", StringComparison.Ordinal) || name.StartsWith("pack_git2_", StringComparison.Ordinal) || name.StartsWith("tmp_", StringComparison.Ordinal))
            {
                File.Delete(file);
                removed++;
            }
        }
        return removed;
    }

    /// <returns>How many half-written trees were removed.</returns>
    public static int RemoveFromTrees(string treesDirectory)
    {
        if (!Directory.Exists(treesDirectory)) return 0;
        var removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(treesDirectory, ".tmp-*"))
        {
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
            removed++;
        }
        return removed;
    }
}
