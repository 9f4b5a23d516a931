using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
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
        var command = new Command("render", "Print the manifests the operator would apply for PATH of a local checkout") { path, helmSet, values, ns };
        command.SetAction(async (result, ct) =>
        {
            var cli = CliOutput.Of(result);
            try
            {
                var output = await RenderAsync(result.GetValue(path)!, result.GetValue(helmSet) ?? [], result.GetValue(values) ?? [],
                    result.GetValue(ns)!, RenderToolOptions.FromEnvironment(), ct);
                await cli.Out.WriteAsync(output);
                return 0;
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
        RenderToolOptions options, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new RenderException($"path \"{path}\" is not a directory");
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
                parameters.Add(new JsonObject { ["name"] = p[..eq], ["value"] = p[(eq + 1)..] });
            }
            var files = new JsonArray();
            foreach (var f in valueFiles) files.Add(Path.GetRelativePath(full, Path.GetFullPath(f)).Replace('\\', '/'));
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
                ManifestReader.Read(doc.Text, doc.SourceName);
            }
            catch (ManifestException e)
            {
                throw new RenderException(e.Reason, e.SourceName, e.Line);
            }
            var body = doc.Text.TrimEnd();
            if (body.Length == 0) continue;
            if (!body.StartsWith("---", StringComparison.Ordinal)) text.Append("---\n");
            text.Append(body).Append('\n');
        }
        return text.ToString();
    }

    private static string FindRoot(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, ".git")) || File.Exists(Path.Combine(d.FullName, ".git"))) return d.FullName;
        return dir;
    }
}
