namespace GitOps.Operator.Source;

/// <summary>
/// Keeps the source cache under its byte bound: when the trees and bare repositories together
/// exceed it, deletes the least recently used ones (last use = the directory's write time, which
/// <see cref="Touch"/> refreshes on every use) until the total fits again. It never deletes what
/// the current call is returning, nor a repository whose per-URL lock is held.
/// </summary>
internal sealed class CacheEvictor(string cacheDirectory, long maxBytes)
{
    public string TreesDirectory { get; } = Path.Combine(cacheDirectory, "trees");

    public string ReposDirectory { get; } = Path.Combine(cacheDirectory, "repos");

    public static void Touch(string directory)
    {
        try
        {
            Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // Evicted meanwhile: the caller already holds what it needs or will recreate it.
        }
    }

    /// <summary>Total bytes of regular files under the cache (symlinks count as nothing).</summary>
    public long TotalBytes() => Entries().Sum(e => e.Bytes);

    /// <returns>How many entries were deleted.</returns>
    public int Evict(IReadOnlySet<string> keep, Func<string, Action, bool> withRepoLock)
    {
        var entries = Entries().ToList();
        var total = entries.Sum(e => e.Bytes);
        var deleted = 0;
        foreach (var entry in entries.OrderBy(e => e.LastUsed))
        {
            if (total <= maxBytes) break;
            if (keep.Contains(entry.Path)) continue;
            if (entry.IsRepo)
            {
                if (!withRepoLock(Path.GetFileName(entry.Path), () => DeleteDirectory(entry.Path))) continue;
            }
            else
            {
                var meta = TreeMaterializer.MetaPath(entry.Path);
                if (File.Exists(meta)) File.Delete(meta);
                DeleteDirectory(entry.Path);
            }

            total -= entry.Bytes;
            deleted++;
        }

        return deleted;
    }

    private IEnumerable<Entry> Entries()
    {
        foreach (var (root, isRepo) in new[] { (TreesDirectory, false), (ReposDirectory, true) })
        {
            if (!Directory.Exists(root)) continue;
            foreach (var dir in Directory.EnumerateDirectories(root))
            {
                if (Path.GetFileName(dir).StartsWith('.')) continue;
                long bytes;
                DateTime lastUsed;
                try
                {
                    // A tree never changes once written: its size is read from its metadata, not walked again after every new tree.
                    bytes = isRepo ? SizeOf(dir) : (TreeMaterializer.RecordedBytes(dir) ?? SizeOf(dir)) + FileSize(TreeMaterializer.MetaPath(dir));
                    lastUsed = Directory.GetLastWriteTimeUtc(dir);
                }
                catch (IOException)
                {
                    continue;
                }

                yield return new Entry(dir, isRepo, bytes, lastUsed);
            }
        }
    }

    private static long SizeOf(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        return new DirectoryInfo(directory).EnumerateFiles("*", options).Sum(f => f.Length);
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Renames first so no reader ever sees a half-deleted directory under its real name.</summary>
    private static void DeleteDirectory(string path)
    {
        var trash = Path.Combine(Path.GetDirectoryName(path)!, $".trash-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(path, trash);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        Directory.Delete(trash, recursive: true);
    }

    private sealed record Entry(string Path, bool IsRepo, long Bytes, DateTime LastUsed);
}
