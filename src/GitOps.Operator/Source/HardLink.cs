using System.Runtime.InteropServices;

namespace GitOps.Operator.Source;

/// <summary>link(2): .NET creates symbolic links only. A tree file that exists already costs a directory entry, not a new inode.</summary>
internal static partial class HardLink
{
    /// <summary>Links <paramref name="existing"/> at <paramref name="path"/>; false when it cannot (gone, too many links, another file system): then the caller writes the file.</summary>
    public static bool TryCreate(string existing, string path) => !OperatingSystem.IsWindows() && Link(existing, path) == 0;

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string path);
}
