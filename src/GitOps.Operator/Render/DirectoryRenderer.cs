namespace GitOps.Operator.Render;

/// <summary>
/// Plain directories of YAML/JSON manifests (Argo CD's "directory" source): the files of the
/// application's path (recursively when asked), filtered by include/exclude globs, in a stable
/// order, with every file checked to stay inside the repository and within the caps.
/// </summary>
public sealed class DirectoryRenderer : IRenderer
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public async Task<IReadOnlyList<RenderedDocument>> RenderAsync(RenderRequest request, CancellationToken ct)
    {
        var root = Path.GetFullPath(request.RepositoryRoot);
        var dir = RepositoryPaths.ResolveDirectory(root, request.Path);
        var directory = request.Source.Directory;
        // The walk stops at the first manifest file past the cap: a path with 100,000 files costs the
        // cap's worth of names, never a list of them all (nor any file's content).
        var files = Enumerate(root, dir, directory.Recurse)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(dir, f).Replace('\\', '/')))
            .Where(f => Extensions.Contains(Path.GetExtension(f.Full).ToLowerInvariant()))
            .Where(f => directory.Include.Length == 0 || Glob.Matches(directory.Include, f.Relative))
            .Where(f => directory.Exclude.Length == 0 || !Glob.Matches(directory.Exclude, f.Relative))
            .Take(request.Limits.MaxFiles + 1)
            .ToList();
        if (files.Count > request.Limits.MaxFiles)
            throw new RenderException($"path \"{request.Path}\" has more than the limit of {request.Limits.MaxFiles} manifest files");
        files.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));

        var result = new List<RenderedDocument>();
        long total = 0;
        foreach (var (full, _) in files)
        {
            var shown = Path.GetRelativePath(root, full).Replace('\\', '/');
            RepositoryPaths.CheckLinks(root, full, shown);
            var size = new FileInfo(full).Length;
            if (size > request.Limits.MaxFileBytes)
                throw new RenderException($"file is {size} bytes, more than the limit of {request.Limits.MaxFileBytes}", shown);
            total += size;
            if (total > request.Limits.MaxTotalBytes)
                throw new RenderException($"manifests exceed the total limit of {request.Limits.MaxTotalBytes} bytes", shown);
            result.Add(new RenderedDocument(shown, await File.ReadAllTextAsync(full, ct)));
        }
        return result;
    }

    private static IEnumerable<string> Enumerate(string root, string dir, bool recurse)
    {
        foreach (var file in Directory.EnumerateFiles(dir)) yield return file;
        if (!recurse) yield break;
        foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(sub).StartsWith('.')) continue;
            RepositoryPaths.CheckLinks(root, sub, Path.GetRelativePath(root, sub));
            foreach (var file in Enumerate(root, sub, recurse)) yield return file;
        }
    }
}
