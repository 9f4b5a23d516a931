using GitOps.Operator.Render;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// Finds, in a checked-out tree, the SOPS file a rendered object came from, by its MAC (a random
/// ciphertext, unique to one encryption), and checks that file's MAC exactly. Kustomize changes what
/// it builds (a namespace, labels, the order of a generated Secret's keys), so an object's own MAC
/// may not match any more; the file it was built from still must. Reads at most the render limits.
/// </summary>
internal static class SopsSources
{
    /// <summary>The file (relative to the root) holding <paramref name="mac"/>, or null.</summary>
    public static string? FindByMac(string root, string mac, RenderLimits limits)
    {
        try
        {
            return Search(root, mac, limits);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Search(string root, string mac, RenderLimits limits)
    {
        var files = 0;
        long total = 0;
        foreach (var file in Files(root))
        {
            if (++files > limits.MaxFiles) return null;
            var info = new FileInfo(file);
            if (info.LinkTarget is not null || info.Length > limits.MaxFileBytes) continue;
            total += info.Length;
            if (total > limits.MaxTotalBytes) return null;
            string text;
            try { text = File.ReadAllText(file); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (text.Contains(mac, StringComparison.Ordinal)) return Path.GetRelativePath(root, file).Replace('\\', '/');
        }
        return null;
    }

    /// <summary>Decrypts the whole file in memory and checks its MAC; throws <see cref="SopsException"/> when it does not hold.</summary>
    public static void Verify(string root, string relative, SopsKeyring keys)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(Path.GetFullPath(root).TrimEnd('/') + "/", StringComparison.Ordinal)) throw new SopsException("lies outside the repository");
        var text = File.ReadAllText(full);
        _ = SopsDocument.Decrypt(text, FormatOfContent(relative, text), keys);
    }

    /// <summary>By content first (a dotenv file may have any name), then by extension.</summary>
    public static SopsFormat FormatOfContent(string name, string text) =>
        text.Contains("sops_mac=ENC[", StringComparison.Ordinal) ? SopsFormat.Dotenv
        : text.TrimStart().StartsWith('{') ? SopsFormat.Json
        : SopsDocument.FormatOf(name) == SopsFormat.Dotenv ? SopsFormat.Dotenv : SopsFormat.Yaml;

    private static IEnumerable<string> Files(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(sub).StartsWith('.') || new DirectoryInfo(sub).LinkTarget is not null) continue;
            foreach (var file in Files(sub)) yield return file;
        }
    }
}
