using System.Text.Json.Nodes;

namespace GitOps.Operator.Render;

/// <summary>
/// Renders a kustomization with <c>kustomize build</c> (or <c>kubectl kustomize</c>). Before the
/// tool runs: every symlink in the tree stays inside, every kustomization reachable from the path
/// names only relative paths inside the repository (resources, components, patches, generator
/// files) and no remote base. spec.source.kustomize overrides are written, the way
/// <c>kustomize edit</c> would, into a private copy of the tree; the checked-out tree is never changed.
/// The load restrictor stays at its safe default (root only) and no plugin, exec or helm flag is passed.
/// </summary>
public sealed class KustomizeRenderer(ToolRunner runner) : IRenderer
{
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public static bool Applies(RenderRequest request) =>
        ToolRenderers.TryDirectory(request) is { } dir && FindKustomization(dir) is not null;

    public async Task<IReadOnlyList<RenderedDocument>> RenderAsync(RenderRequest request, CancellationToken ct)
    {
        var root = Path.GetFullPath(request.RepositoryRoot);
        var dir = RepositoryPaths.ResolveDirectory(root, request.Path);
        PathGuard.CheckSymlinks(root, request.Shape);
        Check(root, dir, runner.Options.AllowRemoteBases, new HashSet<string>(StringComparer.Ordinal), 0);

        var spec = KustomizeSource.From(request.Source.Kustomize);
        string? copy = null;
        var buildDir = dir;
        try
        {
            if (spec.HasOverrides)
            {
                copy = Path.Combine(runner.Options.WorkDirectory, "kustomize", Guid.NewGuid().ToString("N"));
                CopyTree(root, copy);
                buildDir = Path.Combine(copy, Path.GetRelativePath(root, dir));
                ApplyOverrides(buildDir, spec);
            }
            var (file, args) = runner.Options.KustomizeCommand();
            var shownRoot = copy ?? root;
            var invocation = new ToolInvocation(file, [.. args, buildDir], buildDir, ToolRenderers.Environment(runner.Options, file, "kustomize"))
            {
                Redactions = [(shownRoot, ""), (runner.Options.WorkDirectory, "")],
                Tool = "kustomize",
            };
            var output = await runner.RunAsync(invocation, ct);
            var shown = PathGuard.Relative(root, Path.Combine(dir, FindKustomization(dir)!));
            return [new RenderedDocument($"{shown} (kustomize build)", output)];
        }
        catch (RenderException e) when (e.File is null)
        {
            throw new RenderException(e.Message, PathGuard.Relative(root, dir));
        }
        finally
        {
            if (copy is not null) TryDelete(copy);
        }
    }

    internal static string? FindKustomization(string dir) => FileNames.FirstOrDefault(f => File.Exists(Path.Combine(dir, f)));

    /// <summary>Walks every kustomization reachable from <paramref name="dir"/> and refuses any path that leaves the repository.</summary>
    private static void Check(string root, string dir, bool allowRemote, HashSet<string> visited, int depth)
    {
        if (!visited.Add(dir) || depth > 50) return;
        var name = FindKustomization(dir);
        if (name is null) return;
        var shown = PathGuard.Relative(root, Path.Combine(dir, name));
        if (RenderYaml.Parse(File.ReadAllText(Path.Combine(dir, name)), shown) is not JsonObject k) return;

        string Field(string f) => $"{shown}: {f}";
        string? Resolve(string? reference, string field)
        {
            if (reference is null) return null;
            if (allowRemote && PathGuard.IsRemote(reference)) return null;
            return PathGuard.Resolve(root, dir, reference, Field(field));
        }
        foreach (var field in new[] { "resources", "bases", "components" })
            foreach (var entry in Strings(k[field]))
            {
                var full = Resolve(entry, field);
                if (full is not null && Directory.Exists(full)) Check(root, full, allowRemote, visited, depth + 1);
            }
        foreach (var field in new[] { "crds", "configurations", "generators", "transformers", "validators" })
            foreach (var entry in Strings(k[field]).Where(e => !e.Contains('\n')))
            {
                var full = Resolve(entry, field);
                if (full is not null && Directory.Exists(full)) Check(root, full, allowRemote, visited, depth + 1);
            }
        foreach (var entry in Strings(k["patchesStrategicMerge"]).Where(e => !e.Contains('\n') && !e.Contains(": ", StringComparison.Ordinal)))
            Resolve(entry, "patchesStrategicMerge");
        foreach (var field in new[] { "patches", "patchesJson6902", "replacements" })
            foreach (var item in (k[field] as JsonArray ?? []).OfType<JsonObject>())
                Resolve((string?)item["path"], field);
        Resolve(k["openapi"]?["path"] is JsonValue p ? (string?)p : null, "openapi");
        foreach (var field in new[] { "configMapGenerator", "secretGenerator" })
            foreach (var gen in (k[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var f in Strings(gen["files"]))
                    Resolve(f.Contains('=') ? f[(f.IndexOf('=') + 1)..] : f, $"{field} files");
                foreach (var f in Strings(gen["envs"])) Resolve(f, $"{field} envs");
                if (gen["env"] is JsonValue env) Resolve((string?)env, $"{field} env");
            }
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.OfType<JsonValue>().Select(v => v.ToString()) : [];

    /// <summary>What <c>kustomize edit set/add …</c> does to the kustomization file, done in the private copy.</summary>
    internal static void ApplyOverrides(string dir, KustomizeSource spec)
    {
        var name = FindKustomization(dir)!;
        var path = Path.Combine(dir, name);
        if (new FileInfo(path).LinkTarget is not null)
        {
            // Never write through a symlink: replace it with a plain copy of what it points to.
            var text = File.ReadAllText(path);
            File.Delete(path);
            File.WriteAllText(path, text);
        }
        var k = RenderYaml.Parse(File.ReadAllText(path), name) as JsonObject ?? new JsonObject();
        if (spec.NamePrefix is not null) k["namePrefix"] = spec.NamePrefix;
        if (spec.NameSuffix is not null) k["nameSuffix"] = spec.NameSuffix;
        if (spec.Namespace is not null) k["namespace"] = spec.Namespace;
        if (spec.Images.Count > 0)
        {
            var images = k["images"] as JsonArray ?? [];
            foreach (var image in spec.Images.Select(ParseImage))
            {
                var existing = images.OfType<JsonObject>().FirstOrDefault(i => (string?)i["name"] == (string?)image["name"]);
                if (existing is not null) images.Remove(existing);
                images.Add((JsonNode)image);
            }
            k["images"] = images;
        }
        if (spec.Replicas.Count > 0)
        {
            var replicas = k["replicas"] as JsonArray ?? [];
            foreach (var r in spec.Replicas)
            {
                var existing = replicas.OfType<JsonObject>().FirstOrDefault(i => (string?)i["name"] == r.Name);
                if (existing is not null) replicas.Remove(existing);
                replicas.Add((JsonNode)new JsonObject { ["name"] = r.Name, ["count"] = r.Count });
            }
            k["replicas"] = replicas;
        }
        Merge(k, "commonLabels", spec.CommonLabels);
        Merge(k, "commonAnnotations", spec.CommonAnnotations);
        if (spec.Patches.Count > 0)
        {
            var patches = k["patches"] as JsonArray ?? [];
            foreach (var p in spec.Patches)
            {
                if (p["path"] is not null) throw new RenderException("spec.source.kustomize.patches must be inline (patch), not a path");
                patches.Add(p.DeepClone());
            }
            k["patches"] = patches;
        }
        // JSON is YAML: kustomize reads the edited file as it is.
        File.WriteAllText(path, k.ToJsonString());
    }

    private static void Merge(JsonObject k, string field, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0) return;
        var map = k[field] as JsonObject ?? [];
        foreach (var (key, value) in values) map[key] = value;
        k[field] = map;
    }

    /// <summary><c>name=newName:tag</c>, <c>name:tag</c>, <c>name@digest</c>, <c>name=newName@digest</c> (kustomize edit set image).</summary>
    internal static JsonObject ParseImage(string text)
    {
        var eq = text.IndexOf('=');
        var name = eq >= 0 ? text[..eq] : null;
        var rest = eq >= 0 ? text[(eq + 1)..] : text;
        string image = rest;
        string? tag = null, digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            image = rest[..at];
            digest = rest[(at + 1)..];
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            if (colon > rest.LastIndexOf('/'))
            {
                image = rest[..colon];
                tag = rest[(colon + 1)..];
            }
        }
        var result = new JsonObject { ["name"] = name ?? image };
        if (name is not null && image.Length > 0 && image != name) result["newName"] = image;
        if (tag is not null) result["newTag"] = tag;
        if (digest is not null) result["digest"] = digest;
        return result;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.Name == ".git") continue;
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is not null) File.CreateSymbolicLink(target, entry.LinkTarget);
            else if (entry is DirectoryInfo) CopyTree(entry.FullName, target);
            else File.Copy(entry.FullName, target);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
