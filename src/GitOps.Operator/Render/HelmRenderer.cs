using System.Text.Json.Nodes;

namespace GitOps.Operator.Render;

/// <summary>
/// Renders a chart with <c>helm template</c> (client-side: Helm's <c>lookup</c> sees no cluster).
/// Before helm runs: every symlink stays inside the repository, value files are relative paths
/// inside it, and every dependency is vendored in <c>charts/</c> (or a local <c>file://</c> path
/// inside the repository; a chart from a Helm repository arrives with the dependencies from that
/// same repository already placed in <c>charts/</c> by <see cref="HelmChartSource"/>): helm never fetches anything. Inline values go to a private temp file;
/// a SOPS-encrypted values file is decrypted in memory and reaches helm on its stdin.
/// </summary>
public sealed class HelmRenderer(ToolRunner runner) : IRenderer
{
    public static bool Applies(RenderRequest request) =>
        ToolRenderers.TryDirectory(request) is { } dir && File.Exists(Path.Combine(dir, "Chart.yaml"));

    public async Task<IReadOnlyList<RenderedDocument>> RenderAsync(RenderRequest request, CancellationToken ct)
    {
        var root = Path.GetFullPath(request.RepositoryRoot);
        var dir = RepositoryPaths.ResolveDirectory(root, request.Path);
        var shownDir = PathGuard.Relative(root, dir);
        PathGuard.CheckSymlinks(root, request.Shape);
        var helm = HelmSource.From(request.Source.Helm);
        var chart = RenderYaml.Parse(File.ReadAllText(Path.Combine(dir, "Chart.yaml")), $"{shownDir}/Chart.yaml") as JsonObject
            ?? throw new RenderException("Chart.yaml is empty", $"{shownDir}/Chart.yaml");
        CheckDependencies(root, dir, shownDir, chart);
        var valueFiles = helm.ValueFiles.Select(f => PathGuard.Resolve(root, dir, f, "spec.source.helm.valueFiles")).ToList();
        foreach (var (file, name) in valueFiles.Zip(helm.ValueFiles))
            if (!File.Exists(file)) throw new RenderException($"spec.source.helm.valueFiles \"{name}\" does not exist");

        var release = helm.ReleaseName is { Length: > 0 } r ? r : request.ApplicationName ?? (string?)chart["name"] ?? Path.GetFileName(dir);
        var ns = helm.Namespace is { Length: > 0 } n ? n : request.DestinationNamespace;
        var args = new List<string> { "template", release, dir };
        if (ns.Length > 0) args.AddRange(["--namespace", ns]);
        if (!helm.SkipCrds) args.Add("--include-crds");
        else args.Add("--skip-crds");
        if (helm.KubeVersion is { Length: > 0 } kv) args.AddRange(["--kube-version", kv]);
        foreach (var api in helm.ApiVersions) args.AddRange(["--api-versions", api]);
        string? decryptedValues = null;
        foreach (var (file, name) in valueFiles.Zip(helm.ValueFiles))
        {
            if (DecryptedValues(file, name, request) is not { } plain)
            {
                args.AddRange(["--values", file]);
                continue;
            }
            // Decrypted values reach helm through its stdin, in place in the order: never through a file.
            if (decryptedValues is not null)
                throw new RenderException($"spec.source.helm.valueFiles \"{name}\" is the second SOPS-encrypted values file; at most one can be decrypted per render (merge them into one)");
            decryptedValues = plain;
            args.AddRange(["--values", "-"]);
        }

        string? inlineFile = null;
        try
        {
            if (helm.InlineValues() is { } inline)
            {
                var temp = Path.Combine(runner.Options.WorkDirectory, "values");
                Directory.CreateDirectory(temp);
                inlineFile = Path.Combine(temp, Guid.NewGuid().ToString("N") + ".yaml");
                await File.WriteAllTextAsync(inlineFile, inline, ct);
                args.AddRange(["--values", inlineFile]);
            }
            foreach (var p in helm.Parameters)
            {
                if (p.Name.Length == 0) throw new RenderException("spec.source.helm.parameters has an entry without a name");
                args.AddRange([p.ForceString ? "--set-string" : "--set", $"{p.Name}={p.Value}"]);
            }
            var file = runner.Options.HelmCommand();
            var invocation = new ToolInvocation(file, args, dir, ToolRenderers.Environment(runner.Options, file, "helm"))
            {
                Redactions = [(root, ""), (runner.Options.WorkDirectory, "")],
                Tool = "helm",
                StandardInput = decryptedValues,
            };
            var output = await runner.RunAsync(invocation, ct);
            return [new RenderedDocument($"{shownDir}/Chart.yaml (helm template)", output)];
        }
        catch (RenderException e) when (e.File is null)
        {
            throw new RenderException(e.Message, shownDir);
        }
        finally
        {
            if (inlineFile is not null) File.Delete(inlineFile);
        }
    }

    /// <summary>
    /// A SOPS-encrypted values file decrypted in memory (its MAC checked) as JSON text, or null when the
    /// file is not encrypted. Encrypted without spec.decryption, or failing to decrypt, is a render error.
    /// </summary>
    private static string? DecryptedValues(string file, string name, RenderRequest request)
    {
        var info = new FileInfo(file);
        if (info.Length > request.Limits.MaxFileBytes) return null;
        var text = File.ReadAllText(file);
        if (!Sops.SopsDocument.LooksEncrypted(text)) return null;
        var shown = $"spec.source.helm.valueFiles \"{name}\"";
        if (request.Decryption is null)
            throw new RenderException("is SOPS-encrypted; set spec.decryption (provider sops, secretRef naming a Secret with *.agekey entries) to decrypt it", shown);
        try
        {
            var decrypted = Sops.SopsDocument.Decrypt(text, Sops.SopsSources.FormatOfContent(name, text), request.Decryption);
            return decrypted.Branches.Count == 0 ? "{}" : Sops.SopsJson.EmitCompact(decrypted.Branches[0]);
        }
        catch (Sops.SopsException e)
        {
            throw new RenderException(e.Message, shown);
        }
    }

    /// <summary>Dependencies must already be in charts/ (vendored) or be a file:// path inside the repository.</summary>
    internal static void CheckDependencies(string root, string dir, string shownDir, JsonObject chart)
    {
        foreach (var dep in (chart["dependencies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)dep["name"] ?? "";
            var repository = (string?)dep["repository"] ?? "";
            if (repository.StartsWith("file://", StringComparison.Ordinal))
            {
                PathGuard.Resolve(root, dir, repository["file://".Length..], $"{shownDir}/Chart.yaml: dependency \"{name}\"");
                continue;
            }
            if (Source.HelmChartSource.IsVendored(dir, name)) continue;
            if (repository.Length == 0) continue; // helm itself reports a dependency missing from charts/
            throw new RenderException(
                $"dependency \"{name}\" comes from {Source.UrlRedactor.Redact(repository)} and is not vendored in charts/: remote dependencies are fetched only from the Helm repository the chart itself comes from (run `helm dependency build` and commit charts/, or publish the dependency there)",
                $"{shownDir}/Chart.yaml");
        }
    }
}
