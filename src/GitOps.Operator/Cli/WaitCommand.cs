using System.CommandLine;
using GitOps.Operator.Status;

namespace GitOps.Operator.Cli;

/// <summary>`gitops wait APP --for synced|healthy --timeout 2m`: block until the app gets there (exit 1 on timeout or failure).</summary>
internal static class WaitCommand
{
    public static Command Build()
    {
        var common = new CliCommon();
        var app = new Argument<string>("APP") { Description = "the Application to wait for" };
        var @for = new Option<string>("--for")
        {
            Description = "what to wait for: synced (Synced at the latest revision), healthy, or ready (both)",
            DefaultValueFactory = _ => "ready",
        }.AcceptOnlyFromAmong("synced", "healthy", "ready");
        var timeout = SyncCommand.TimeoutOption(TimeSpan.FromMinutes(2));
        var command = new Command("wait", "Wait until an Application is synced and/or healthy") { app, @for, timeout };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var (client, ns, name) = common.Target(result, app);
            var what = result.GetValue(@for)!;
            Func<System.Text.Json.Nodes.JsonObject, bool> done = what switch
            {
                "synced" => a => ApplicationStatus.Of(a).Sync?.Status == SyncSummary.Synced,
                "healthy" => a => ApplicationStatus.Of(a).Health?.Status == "Healthy",
                _ => a => ApplicationStatus.Of(a) is { Sync.Status: SyncSummary.Synced, Health.Status: "Healthy" },
            };
            var reached = await AppWaiter.WaitAsync(client, ns, name, what, result.GetValue(timeout), done, AppWaiter.StageFailure, ct);
            await o.Out.WriteLineAsync($"{ns}/{name}: {AppWaiter.Describe(reached)}");
            return 0;
        });
        return command;
    }
}
