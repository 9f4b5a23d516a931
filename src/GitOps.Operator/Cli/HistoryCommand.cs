using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Status;
using GitOps.Operator.Terminal;
using Spectre.Console;

namespace GitOps.Operator.Cli;

/// <summary>`gitops history APP` (the last deployed revisions) and `gitops rollback APP ID` (pin one of them).</summary>
internal static class HistoryCommand
{
    public static Command BuildHistory()
    {
        var common = new CliCommon();
        var app = new Argument<string>("APP") { Description = "the Application" };
        var output = CliCommon.OutputOption();
        var command = new Command("history", "List the revisions an Application deployed (the last 10), newest first") { app, output };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var (client, ns, name) = common.Target(result, app);
            var one = await client.GetAsync(ns, name, ct);
            var status = ApplicationStatus.Of(one);
            var history = status.ToJson()["history"] as JsonArray ?? [];
            var format = result.GetValue(output);
            if (format == "json") { o.Json(history); return 0; }
            if (format == "yaml") { o.Yaml(history); return 0; }
            if (status.History.Count == 0)
            {
                await o.Error.WriteLineAsync($"{ns}/{ApplicationClient.Name(one)} has not deployed anything yet");
                return 0;
            }
            var pinned = (string?)one["metadata"]?["annotations"]?[Annotations.RollbackTo];
            var current = status.Sync?.Revision;
            var table = Tables.New("id", "revision", "deployed", "");
            var currentId = status.History.LastOrDefault(h => h.Revision == current)?.Id;
            foreach (var h in status.History.Reverse())
            {
                var id = h.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var marks = new List<string>();
                if (h.Id == currentId) marks.Add("current");
                if (id == pinned) marks.Add("pinned by rollback");
                table.AddRow(new Text(id), new Text(h.Revision), new Text(KubeTimeConverter.Format(h.DeployedAt)), new Text(string.Join(", ", marks)));
            }
            o.Write(table);
            return 0;
        });
        return command;
    }

    public static Command BuildRollback()
    {
        var common = new CliCommon();
        var app = new Argument<string>("APP") { Description = "the Application" };
        var id = new Argument<long?>("ID") { Description = "the history id to go back to (see `gitops history APP`)", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "remove the rollback pin: follow targetRevision again" };
        var command = new Command("rollback", "Re-apply a revision from the app's history and stay on it (sets gitops.dev/rollback-to) until --clear") { app, id, clear };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var (client, ns, name) = common.Target(result, app);
            if (result.GetValue(clear))
            {
                await client.AnnotateAsync(ns, name, new Dictionary<string, string?> { [Annotations.RollbackTo] = null, [Annotations.RefreshRequestedAt] = SyncCommand.Now() }, ct);
                await o.Out.WriteLineAsync($"{ns}/{name} follows its targetRevision again");
                return 0;
            }
            var target = result.GetValue(id) ?? throw new CliException("give the history ID to roll back to (see `gitops history APP`), or --clear");
            var one = await client.GetAsync(ns, name, ct);
            var entry = ApplicationStatus.Of(one).FindHistory(target)
                ?? throw new CliException($"{ns}/{name} has no history entry {target} (see `gitops history {name}`)");
            await client.AnnotateAsync(ns, name, new Dictionary<string, string?>
            {
                [Annotations.RollbackTo] = target.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [Annotations.SyncRequestedAt] = SyncCommand.Now(),
            }, ct);
            await o.Out.WriteLineAsync($"{ns}/{name} rolling back to {CliOutput.Short(entry.Revision)} (history {target}); `gitops rollback {name} --clear` follows Git again");
            return 0;
        });
        return command;
    }
}
