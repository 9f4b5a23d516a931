using System.Text.Json;
using System.Text.Json.Serialization;
using LibGit2Sharp;

namespace GitOps.Operator.Source;

/// <summary>
/// Writes one commit's tree from the bare repository's object database (no working checkout, no
/// index, no filters) into <c>trees/&lt;sha&gt;-&lt;repository hash&gt;</c>: first into a temp directory, then renamed into
/// place, so a tree directory that exists is always complete. Regular files keep mode 0644 or 0755,
/// symlinks stay symlinks (target text as stored in Git), submodules become empty directories.
/// The commit's metadata goes beside the tree in <c>trees/&lt;key&gt;.meta.json</c>, written first.
/// A file already on disk with the same blob and mode (at the same path in a complete tree of another
/// commit of the same repository, or earlier in this tree) is hard-linked instead of written: a push
/// that changes a few files writes those files, not the whole commit again (creating an inode is what
/// writing a tree costs), and the commits share their disk blocks. Trees are never written to after.
/// </summary>
internal static partial class TreeMaterializer
{
    private const UnixFileMode RegularMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecutableMode = RegularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static string MetaPath(string treeDirectory) => treeDirectory + ".meta.json";

    /// <summary>The snapshot for an already materialised tree, or null.</summary>
    public static SourceSnapshot? TryRead(string treeDirectory)
    {
        if (!Directory.Exists(treeDirectory) || ReadMeta(treeDirectory) is not { } m) return null;
        return new SourceSnapshot(m.Commit, treeDirectory, m.Message, m.Author, m.Time)
        {
            Shape = m is { Entries: { } entries, Symlinks: { } symlinks } ? new TreeShape(entries, symlinks) : null,
        };
    }

    /// <summary>The bytes of a complete tree's files as counted when it was written, or null (not complete, or written by an older version).</summary>
    public static long? RecordedBytes(string treeDirectory) => ReadMeta(treeDirectory)?.Bytes;

    private static Meta? ReadMeta(string treeDirectory)
    {
        var meta = MetaPath(treeDirectory);
        if (!File.Exists(meta)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(meta), MetaJson.Default.Meta);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Looks up <paramref name="sha"/> in <paramref name="repo"/>, peeling an annotated tag to its commit; null when absent.</summary>
    public static Commit? FindCommit(Repository repo, string sha)
    {
        var obj = repo.Lookup(new ObjectId(sha));
        while (obj is TagAnnotation tag) obj = tag.Target;
        return obj as Commit;
    }

    /// <summary>A complete tree written for another commit of the same repository: <paramref name="Tree"/> is that commit's tree, at <paramref name="Directory"/>.</summary>
    public sealed record LinkBase(Tree Tree, string Directory);

    /// <summary>
    /// The most recently used complete tree of the same repository as <paramref name="treeDirectory"/> (the trees
    /// beside it whose key ends with the same repository hash and whose metadata exists), or null.
    /// </summary>
    public static LinkBase? FindLinkBase(Repository repo, string treeDirectory)
    {
        var name = Path.GetFileName(treeDirectory);
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var parent = Path.GetDirectoryName(treeDirectory)!;
        if (dash != 40 || !Directory.Exists(parent)) return null;
        var newest = new DirectoryInfo(parent).EnumerateDirectories("*" + name[dash..])
            .Where(d => d.Name.Length == name.Length && d.Name != name && RemoteRefs.IsFullSha(d.Name[..40]) && File.Exists(MetaPath(d.FullName)))
            .OrderByDescending(d => d.LastWriteTimeUtc)
            .FirstOrDefault();
        return newest is not null && FindCommit(repo, newest.Name[..40]) is { } commit ? new LinkBase(commit.Tree, newest.FullName) : null;
    }

    /// <returns>The snapshot, and how many files were hard-linked rather than written.</returns>
    public static (SourceSnapshot Snapshot, int Linked) Write(Commit commit, string treeDirectory, LinkBase? linkBase, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(treeDirectory)!;
        Directory.CreateDirectory(parent);
        var snapshot = new SourceSnapshot(commit.Sha, treeDirectory, commit.Message.TrimEnd(), $"{commit.Author.Name} <{commit.Author.Email}>", commit.Author.When);
        var temp = Path.Combine(parent, $".tmp-{commit.Sha}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            var counts = new Counts();
            WriteTree(commit.Tree, temp, linkBase?.Tree, linkBase?.Directory, counts, ct);
            snapshot = snapshot with { Shape = new TreeShape(counts.Entries, counts.Symlinks) };
            var metaTemp = temp + ".meta.json";
            File.WriteAllText(metaTemp, JsonSerializer.Serialize(new Meta(snapshot.Commit, snapshot.Message, snapshot.Author, snapshot.Time, counts.Entries, counts.Symlinks, counts.Bytes), MetaJson.Default.Meta));
            File.Move(metaTemp, MetaPath(treeDirectory), overwrite: true);
            try
            {
                Directory.Move(temp, treeDirectory);
            }
            catch (IOException) when (Directory.Exists(treeDirectory))
            {
                // Someone else materialised the same commit first: theirs is identical.
            }

            return (snapshot, counts.Linked);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            if (File.Exists(temp + ".meta.json")) File.Delete(temp + ".meta.json");
        }
    }

    private static void WriteTree(Tree tree, string directory, Tree? baseTree, string? baseDirectory, Counts counts, CancellationToken ct)
    {
        foreach (var entry in tree)
        {
            ct.ThrowIfCancellationRequested();
            counts.Entries++;
            if (entry.Name is "." or ".." or ".git" || entry.Name.Contains('/', StringComparison.Ordinal) || entry.Name.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"unsafe tree entry name '{entry.Path}'");
            }

            var path = Path.Combine(directory, entry.Name);
            switch (entry.Mode)
            {
                case Mode.Directory:
                    var baseEntry = baseTree?[entry.Name] is { Mode: Mode.Directory } same ? same : null;
                    var baseSubdirectory = baseEntry is null ? null : Path.Combine(baseDirectory!, entry.Name);
                    if (baseEntry is not null && baseEntry.Target.Id == entry.Target.Id && TryLinkDirectory((Tree)entry.Target, baseSubdirectory!, path, counts, ct)) break;
                    Directory.CreateDirectory(path);
                    WriteTree((Tree)entry.Target, path, (Tree?)baseEntry?.Target, baseSubdirectory, counts, ct);
                    break;
                case Mode.SymbolicLink:
                    File.CreateSymbolicLink(path, ((Blob)entry.Target).GetContentText());
                    counts.Symlinks++;
                    break;
                case Mode.GitLink:
                    Directory.CreateDirectory(path);
                    break;
                default:
                    var blob = (entry.Target.Id, entry.Mode);
                    var linked = (baseTree?[entry.Name] is { } old && old.Mode == entry.Mode && old.Target.Id == entry.Target.Id && HardLink.TryCreate(Path.Combine(baseDirectory!, entry.Name), path))
                                 || (counts.Written.TryGetValue(blob, out var first) && HardLink.TryCreate(first, path));
                    if (linked)
                    {
                        counts.Linked++;
                        counts.Bytes += new FileInfo(path).Length;
                    }
                    else counts.Bytes += WriteFile((Blob)entry.Target, path, entry.Mode == Mode.ExecutableFile ? ExecutableMode : RegularMode);
                    counts.Written.TryAdd(blob, path);
                    break;
            }
        }
    }

    /// <summary>
    /// Links a subtree the base tree holds identical (the same tree id) by walking its directory on disk: Git's
    /// trees are read only to check that each directory holds as many entries as it should, not file by file.
    /// False, with nothing of it left and nothing counted, when any entry is missing or cannot be linked (the
    /// base tree being evicted): the caller then writes it from Git.
    /// </summary>
    private static bool TryLinkDirectory(Tree tree, string source, string target, Counts counts, CancellationToken ct)
    {
        var before = (counts.Entries, counts.Symlinks, counts.Linked, counts.Bytes);
        try
        {
            if (LinkDirectory(tree, source, target, counts, ct)) return true;
        }
        catch (IOException)
        {
        }

        (counts.Entries, counts.Symlinks, counts.Linked, counts.Bytes) = before;
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        return false;
    }

    private static bool LinkDirectory(Tree tree, string source, string target, Counts counts, CancellationToken ct)
    {
        var items = new DirectoryInfo(source).GetFileSystemInfos();
        if (items.Length != tree.Count) return false;
        Directory.CreateDirectory(target);
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            counts.Entries++;
            var path = Path.Combine(target, item.Name);
            if (item.Attributes.HasFlag(FileAttributes.ReparsePoint) && item.LinkTarget is { } linkTarget)
            {
                File.CreateSymbolicLink(path, linkTarget);
                counts.Symlinks++;
            }
            else if (item is DirectoryInfo)
            {
                switch (tree[item.Name])
                {
                    case { Mode: Mode.GitLink }:
                        Directory.CreateDirectory(path);
                        break;
                    case { Mode: Mode.Directory } subtree:
                        if (!LinkDirectory((Tree)subtree.Target, item.FullName, path, counts, ct)) return false;
                        break;
                    default:
                        return false;
                }
            }
            else if (HardLink.TryCreate(item.FullName, path))
            {
                counts.Linked++;
                counts.Bytes += ((FileInfo)item).Length;
            }
            else return false;
        }

        return true;
    }

    /// <returns>The bytes written.</returns>
    private static long WriteFile(Blob blob, string path, UnixFileMode mode)
    {
        long bytes;
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("trees keep Unix file modes");
        using (var source = blob.GetContentStream())
        using (var target = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            source.CopyTo(target);
            bytes = target.Length;
        }

        File.SetUnixFileMode(path, mode);
        return bytes;
    }

    /// <summary>The tree's commit and, since they were counted, its entries and symlinks (absent in a tree an older version wrote).</summary>
    /// <summary>The tree's meta.json: PascalCase, as reflection-based System.Text.Json wrote it before (trees on disk stay readable).</summary>
    [JsonSerializable(typeof(Meta))]
    internal sealed partial class MetaJson : JsonSerializerContext;

    /// <param name="Bytes">The sizes of the tree's regular files added up, linked ones too (what the cache bound counts), absent in a tree an older version wrote.</param>
    internal sealed record Meta(string Commit, string Message, string Author, DateTimeOffset Time, int? Entries = null, int? Symlinks = null, long? Bytes = null);

    private sealed class Counts
    {
        public int Entries;
        public int Symlinks;
        public int Linked;
        public long Bytes;

        /// <summary>The first file written (or linked) in this tree for each (blob, mode).</summary>
        public Dictionary<(ObjectId, Mode), string> Written { get; } = [];
    }
}
