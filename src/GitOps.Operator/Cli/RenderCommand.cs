using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Engine.Policy.Guardrails;
using GitOps.Engine.Policy.Projects;
using GitOps.Operator.Applications;
using GitOps.Operator.Render;

namespace GitOps.Operator.Cli;

/// <summary>
/// `gitops render PATH`: prints what the operator would apply for PATH of a local checkout, through
/// the same renderers (and the same path checks) as the operator, for CI before a merge.
/// </summary>
public static class RenderCommand
{
    public static Command Build()
    {
        var path = new Argument<string>("PATH") { Description = "the application's directory in a local checkout" };
        var helmSet = new Option<string[]>("--helm-set") { Description = "a Helm parameter name=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var values = new Option<string[]>("--values") { Description = "a Helm values file inside the repository (repeatable)" };
        var ns = new Option<string>("--namespace") { Description = "the destination namespace", DefaultValueFactory = _ => "default" };
        var check = new Option<bool>("--check")
        {
            Description = "run the guardrails the operator runs before an apply (a plain Secret is refused by default); violations go to stderr, exit 1 on a blocking one",
        };
        var project = new Option<string?>("--project") { Description = "with --check: a Project manifest (YAML) whose guardrails to run instead of the defaults" };
        var command = new Command("render", "Print the manifests the operator would apply for PATH of a local checkout") { path, helmSet, values, ns, check, project };
        command.SetAction(async (result, ct) =>
        {
            var cli = CliOutput.Of(result);
            try
            {
                var settings = result.GetValue(check) ? GuardrailsOf(result.GetValue(project)) : null;
                var (output, manifests) = await RenderManifestsAsync(result.GetValue(path)!, result.GetValue(helmSet) ?? [], result.GetValue(values) ?? [],
                    result.GetValue(ns)!, RenderToolOptions.FromEnvironment(), ct);
                await cli.Out.WriteAsync(output);
                if (settings is null) return 0;
                var report = GuardrailChecker.Check(manifests, settings);
                foreach (var violation in report.Violations) await cli.Error.WriteLineAsync($"gitops render: {violation}");
                return report.HasBlocking ? 1 : 0;
            }
            catch (CliException e)
            {
                await cli.Error.WriteLineAsync($"gitops render: {e.Message}");
                return 1;
            }
            catch (RenderException e)
            {
                await cli.Error.WriteLineAsync($"gitops render: {e.Describe()}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Renders <paramref name="path"/> (the repository root is the enclosing Git work tree) and returns the manifests as YAML.</summary>
    public static async Task<string> RenderAsync(string path, IReadOnlyList<string> helmSet, IReadOnlyList<string> valueFiles, string destinationNamespace,
        RenderToolOptions options, CancellationToken ct) =>
        (await RenderManifestsAsync(path, helmSet, valueFiles, destinationNamespace, options, ct)).Yaml;

    /// <summary>The guardrails of a Project manifest file, or the defaults.</summary>
    private static GuardrailSettings GuardrailsOf(string? projectFile)
    {
        if (projectFile is null) return GuardrailSettings.Default;
        try
        {
            var manifest = ManifestReader.Read(File.ReadAllText(projectFile), Path.GetFileName(projectFile)).SingleOrDefault(m => m.Kind == "Project")
                ?? throw new CliException($"{projectFile} holds no Project");
            return Project.Parse(manifest.ToJson(), Projects.ProjectStore.FindTimeZone).Guardrails;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ManifestException or FormatException)
        {
            throw new CliException($"--project {projectFile}: {e.Message}");
        }
    }

    private static async Task<(string Yaml, IReadOnlyList<Manifest> Manifests)> RenderManifestsAsync(string path, IReadOnlyList<string> helmSet, IReadOnlyList<string> valueFiles,
        string destinationNamespace, RenderToolOptions options, CancellationToken ct)
    {
        var manifests = new List<Manifest>();
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new RenderException($"path \"{path}\" is not a directory");
        // The checkout is the Git work tree around the current directory: a path that leaves it (../../etc) is refused.
        var checkout = FindRoot(Directory.GetCurrentDirectory());
        if (!PathGuard.IsInside(checkout, full))
            throw new RenderException($"path \"{path}\" is outside the checkout {checkout}");
        var root = FindRoot(full);
        var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
        JsonObject? helm = null;
        if (helmSet.Count > 0 || valueFiles.Count > 0)
        {
            var parameters = new JsonArray();
            foreach (var p in helmSet)
            {
                var eq = p.IndexOf('=');
                if (eq <= 0) throw new RenderException($"--helm-set \"{p}\" must be name=value");
                parameters.Add((JsonNode)new JsonObject { ["name"] = p[..eq], ["value"] = p[(eq + 1)..] });
            }
            var files = new JsonArray();
            foreach (var f in valueFiles) files.Add((JsonNode)Path.GetRelativePath(full, Path.GetFullPath(f)).Replace('\\', '/'));
            helm = new JsonObject { ["parameters"] = parameters, ["valueFiles"] = files };
        }
        var source = new SourceSpecModel { Path = relative, Helm = helm };
        var request = new RenderRequest(root, relative, source, destinationNamespace, RenderLimits.Default);
        var selector = RendererSelector.Create(new ToolRunner(options));
        var documents = await selector.For(request).RenderAsync(request, ct);
        var text = new System.Text.StringBuilder();
        foreach (var doc in documents)
        {
            try
            {
                // No keys here: a SOPS object stays encrypted, and counts as encrypted in Git when its secret values are.
                manifests.AddRange(ManifestReader.Read(doc.Text, doc.SourceName).Select(Render.Sops.SopsManifests.MarkIfEncrypted));
            }
            catch (ManifestException e)
            {
                throw new RenderException(e.Reason, e.SourceName, e.Line > 0 ? e.Line : null);
            }
            var body = doc.Text.TrimEnd();
            if (body.Length == 0) continue;
            if (!body.StartsWith("---", StringComparison.Ordinal)) text.Append("---\n");
            text.Append(body).Append('\n');
        }
        return (text.ToString(), manifests);
    }

    private static string FindRoot(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, ".git")) || File.Exists(Path.Combine(d.FullName, ".git"))) return d.FullName;
        return dir;
    }
}
