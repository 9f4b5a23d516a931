using System.CommandLine;
using GitOps.Operator.Demo;

namespace GitOps.Operator.Cli;

/// <summary>`gitops demo`: the whole GitOps loop on this machine, with nothing but the .NET SDK and git.</summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var noInteractive = new Option<bool>("--no-interactive") { Description = "plain lines, and exit 0 once the sync, the heal and the rollout were seen (for scripts and CI)" };
        var workdir = new Option<string?>("--workdir") { Description = "keep the kubeconfig, Git server, work tree and operator log here (default: a temp directory, deleted at the end)" };
        var port = new Option<int>("--port") { Description = "port of the sandbox API (default: a free one)" };
        var timeout = SyncCommand.DurationOption("--stage-timeout", DemoOptions.Default.StageTimeout, "how long the first sync, the heal and the rollout may each take (default 90s)");
        var command = new Command("demo",
            "Start a sandbox API, a loopback Git server with examples/, and the operator; show apps syncing, a drift healed and a commit rolled out")
        {
            noInteractive, workdir, port, timeout,
        };
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var interactive = !result.GetValue(noInteractive);
            var options = DemoOptions.Default with
            {
                Interactive = interactive,
                WorkDirectory = result.GetValue(workdir) is { } w ? Path.GetFullPath(w) : null,
                SandboxPort = result.GetValue(port),
                StageTimeout = result.GetValue(timeout),
            };
            IDemoView view = interactive && o.IsTerminal ? new LiveDemoView(o.Console) : new PlainDemoView(o.Out, TimeProvider.System);
            await using var demo = new DemoRunner(options, view, o.Out);
            var outcome = await demo.RunAsync(ct);
            if (!outcome.Succeeded) throw new CliException("the demo did not see the sync, the heal and the rollout");
            view.Step($"Done: synced, healed in {outcome.HealLatency!.Value.TotalMilliseconds:0} ms, rolled out in {outcome.RolloutLatency!.Value.TotalSeconds:0.0}s ({outcome.RolloutTrigger})");
            demo.PrintNextSteps(waitsForCtrlC: interactive);
            if (!interactive) return 0;
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            await o.Out.WriteLineAsync("stopping: operator, Git server, sandbox");
            return 0;
        });
        return command;
    }
}
