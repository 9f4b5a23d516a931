using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Operator.Preview;

namespace GitOps.Operator.Cli;

/// <summary>
/// `gitops diff APP [--local PATH]`: the plan a sync would carry out now (apply, prune, leave, hold,
/// each with its reason) and a unified diff of every object it would change, Secret data masked.
/// With --local, the desired state is rendered from a checkout on disk instead of the app's Git
/// revision: the preview of a pull request. Built from the operator's own stages (source, render,
/// compare, plan), so it shows what the operator will do, not an approximation.
/// </summary>
internal static class DiffCommand
{
    public const string Mask = PlanPreview.Mask;

    public static Command Build()
    {
        var common = new CliCommon();
        var app = new Argument<string>("APP") { Description = "the Application to compare" };
        var local = new Option<string?>("--local") { Description = "render this checkout (the repository root) with the app's settings instead of its Git revision" };
        var exitCode = new Option<bool>("--exit-code") { Description = "exit 1 when a sync would change something (like git diff --exit-code)" };
        var output = CliCommon.OutputOption();
        var command = new Command("diff", "Show what a sync would apply, prune or leave, with a unified diff of each object (Secret data masked)") { app, local, exitCode, output };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var connection = common.Connect(result);
            var ns = common.NamespaceOf(result, connection);
            var application = await new ApplicationClient(connection.Api).GetAsync(ns, result.GetValue(app)!, ct);
            var localPath = result.GetValue(local);
            if (localPath is not null && !Directory.Exists(localPath)) throw new CliException($"--local {localPath} is not a directory");
            var diff = await ComputeAsync(connection, application, localPath, ct);
            var format = result.GetValue(output);
            if (format is "json" or "yaml")
            {
                var json = diff.ToJson();
                if (format == "json") o.Json(json);
                else o.Yaml(json);
            }
            else await o.Out.WriteAsync(diff.ToText());
            return result.GetValue(exitCode) && !diff.Plan.IsNoOp ? 1 : 0;
        });
        return command;
    }

    internal static Task<PlanPreview.PlanDiff> ComputeAsync(ClusterConnection connection, JsonObject application, string? localPath, CancellationToken ct) =>
        WithPipelineAsync(connection, services => PlanPreview.ComputeAsync(services, connection.Api, application, localPath, ct));

    private static async Task<PlanPreview.PlanDiff> WithPipelineAsync(ClusterConnection connection, Func<IServiceProvider, Task<PlanPreview.PlanDiff>> compute)
    {
        await using var host = CliPipeline.Build(connection);
        try
        {
            return await compute(host.Services);
        }
        catch (PreviewException e)
        {
            throw new CliException(e.Message);
        }
    }

    internal static void MaskSecrets(JsonObject? before, JsonObject? after) => PlanPreview.MaskSecrets(before, after);
}
