using System.CommandLine;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Cli;

/// <summary>`gitops suspend APP` / `gitops resume APP`: set spec.suspend (the operator leaves a suspended app alone).</summary>
internal static class SuspendCommand
{
    public static Command Build(bool suspend)
    {
        var common = new CliCommon();
        var app = new Argument<string>("APP") { Description = suspend ? "the Application to suspend" : "the Application to resume" };
        var command = new Command(suspend ? "suspend" : "resume",
            suspend ? "Stop reconciling an Application (sets spec.suspend: true); nothing is applied, pruned or healed until resumed"
                    : "Reconcile a suspended Application again (sets spec.suspend: false)") { app };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var (client, ns, name) = common.Target(result, app);
            await client.GetAsync(ns, name, ct);
            await client.PatchAsync(ns, name, new JsonObject { ["spec"] = new JsonObject { ["suspend"] = suspend } }, ct);
            await o.Out.WriteLineAsync($"{ns}/{name} {(suspend ? "suspended" : "resumed")}");
            return 0;
        });
        return command;
    }
}
