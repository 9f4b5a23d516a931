using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
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
            var history = one["status"]?["history"] as JsonArray ?? [];
            var format = result.GetValue(output);
            if (format == "json") { o.Json(history); return 0; }
            if (format == "yaml") { o.Yaml(history); return 0; }
            if (history.Count == 0)
            {
                await o.Error.WriteLineAsync($"{ns}/{ApplicationClient.Name(one)} has not deployed anything yet");
                return 0;
            }
            var pinned = (string?)one["metadata"]?["annotations"]?[Annotations.RollbackTo];
            var current = ApplicationClient.Revision(one);
            var table = CliOutput.NewTable("id", "revision", "deployed", "");
            var currentId = history.OfType<JsonObject>().LastOrDefault(h => (string?)h["revision"] == current)?["id"]?.ToString();
            foreach (var h in history.OfType<JsonObject>().Reverse())
            {
                var id = h["id"]?.ToString() ?? "";
                var marks = new List<string>();
                if (id == currentId) marks.Add("current");
                if (id == pinned) marks.Add("pinned by rollback");
                table.AddRow(new Text(id), new Text((string?)h["revision"] ?? ""), new Text((string?)h["deployedAt"] ?? ""), new Text(string.Join(", ", marks)));
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
            var entry = (one["status"]?["history"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(h => (long?)h["id"] == target)
                ?? throw new CliException($"{ns}/{name} has no history entry {target} (see `gitops history {name}`)");
            await client.AnnotateAsync(ns, name, new Dictionary<string, string?>
            {
                [Annotations.RollbackTo] = target.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [Annotations.SyncRequestedAt] = SyncCommand.Now(),
            }, ct);
            await o.Out.WriteLineAsync($"{ns}/{name} rolling back to {CliOutput.Short((string?)entry["revision"])} (history {target}); `gitops rollback {name} --clear` follows Git again");
            return 0;
        });
        return command;
    }
}
