namespace GitOps.Operator.Source;

/// <summary>Whether a path stays inside a root (an unpacked chart, a checkout): the check every unpacking and path reference goes through.</summary>
public static class SafePaths
{
    /// <summary>Both paths must be full (<see cref="Path.GetFullPath(string)"/>).</summary>
    public static bool IsInside(string root, string full) =>
        full == root || full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
