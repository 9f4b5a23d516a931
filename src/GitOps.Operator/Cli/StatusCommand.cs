using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace GitOps.Operator.Cli;

/// <summary>`gitops status [APP]`: the Applications as a table (like `kubectl get gapp`), or one app with its conditions and resources.</summary>
internal static class StatusCommand
{
    public static Command Build()
    {
        var common = new CliCommon();
        var app = new Argument<string?>("APP") { Description = "one Application to describe (default: list them)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "list Applications in every namespace" };
        var output = CliCommon.OutputOption();
        var command = new Command("status", "Show Applications: sync and health, or one app's conditions and resources") { app, all, output };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var connection = common.Connect(result);
            var client = new ApplicationClient(connection.Api);
            var format = result.GetValue(output)!;
            var name = result.GetValue(app);
            if (name is not null)
            {
                var one = await client.GetAsync(common.NamespaceOf(result, connection), name, ct);
                if (format == "json") o.Json(one);
                else if (format == "yaml") o.Yaml(one);
                else Describe(o, one, DateTimeOffset.UtcNow);
                return 0;
            }
            var ns = result.GetValue(all) ? null : common.NamespaceOf(result, connection);
            var apps = await client.ListAsync(ns, ct);
            var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. apps.Select(a => (JsonNode)a.DeepClone())]) };
            if (format == "json") o.Json(list);
            else if (format == "yaml") o.Yaml(list);
            else if (apps.Count == 0) await o.Error.WriteLineAsync(ns is null ? "No Applications found." : $"No Applications found in namespace {ns}.");
            else o.Write(Table(apps, ns is null, format == "wide", DateTimeOffset.UtcNow));
            return 0;
        });
        return command;
    }

    internal static Table Table(IReadOnlyList<JsonObject> apps, bool withNamespace, bool wide, DateTimeOffset now)
    {
        var headers = new List<string>();
        if (withNamespace) headers.Add("namespace");
        headers.AddRange(["name", "sync", "health", "revision", "age"]);
        if (wide) headers.AddRange(["repo", "path", "message"]);
        var table = CliOutput.NewTable([.. headers]);
        foreach (var a in apps)
        {
            var cells = new List<Spectre.Console.Rendering.IRenderable>();
            if (withNamespace) cells.Add(new Text(ApplicationClient.Namespace(a)));
            cells.Add(new Text(ApplicationClient.Name(a)));
            cells.Add(CliOutput.Cell(ApplicationClient.IsSuspended(a) ? "Suspended" : ApplicationClient.Sync(a) ?? "Unknown"));
            cells.Add(CliOutput.Cell(ApplicationClient.Health(a) ?? "Unknown"));
            cells.Add(new Text(CliOutput.Short(ApplicationClient.Revision(a))));
            cells.Add(new Text(CliOutput.Age((string?)a["metadata"]?["creationTimestamp"], now)));
            if (wide)
            {
                cells.Add(new Text((string?)a["spec"]?["source"]?["repoURL"] ?? ""));
                cells.Add(new Text((string?)a["spec"]?["source"]?["path"] ?? "."));
                cells.Add(new Text((string?)ApplicationClient.Condition(a, "Ready")?["message"] ?? ""));
            }
            table.AddRow(cells);
        }
        return table;
    }

    private static void Describe(CliOutput o, JsonObject app, DateTimeOffset now)
    {
        var status = app["status"] as JsonObject ?? new JsonObject();
        var source = app["spec"]?["source"];
        var grid = new Grid().AddColumn(new GridColumn().PadRight(2)).AddColumn();
        void Row(string label, Spectre.Console.Rendering.IRenderable value) => grid.AddRow(new Text(label + ":", new Style(decoration: Decoration.Bold)), value);
        Row("Name", new Text($"{ApplicationClient.Namespace(app)}/{ApplicationClient.Name(app)}"));
        Row("Source", new Text($"{source?["repoURL"]} @ {(string?)source?["targetRevision"] ?? "HEAD"}, path {(string?)source?["path"] ?? "."}"));
        Row("Destination", new Text((string?)app["spec"]?["destination"]?["namespace"] ?? ""));
        Row("Sync", CliOutput.Cell(ApplicationClient.Sync(app) ?? "Unknown"));
        Row("Revision", new Text(ApplicationClient.Revision(app) ?? ""));
        var health = ApplicationClient.Health(app) ?? "Unknown";
        var healthMessage = (string?)status["health"]?["message"];
        Row("Health", new Markup(CliOutput.ColourMarkup(health) + (string.IsNullOrEmpty(healthMessage) ? "" : Markup.Escape($" ({healthMessage})"))));
        if (ApplicationClient.IsSuspended(app)) Row("Suspended", new Text("yes (gitops resume to continue)"));
        if (status["operationState"] is JsonObject op && op.Count > 0)
            Row("Last sync", new Text($"{op["phase"]} at {op["finishedAt"]}: {op["message"]}"));
        o.Write(grid);

        var conditions = (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (conditions.Count > 0)
        {
            o.Out.WriteLine();
            var table = CliOutput.NewTable("condition", "status", "reason", "age", "message");
            foreach (var c in conditions)
                table.AddRow(new Text((string?)c["type"] ?? ""), CliOutput.Cell((string?)c["status"]), new Text((string?)c["reason"] ?? ""),
                    new Text(CliOutput.Age((string?)c["lastTransitionTime"], now)), new Text((string?)c["message"] ?? ""));
            o.Write(table);
        }
        var resources = (status["resources"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (resources.Count > 0)
        {
            o.Out.WriteLine();
            var table = CliOutput.NewTable("kind", "namespace", "name", "status", "health", "message");
            foreach (var r in resources)
                table.AddRow(new Text((string?)r["kind"] ?? ""), new Text((string?)r["namespace"] ?? ""), new Text((string?)r["name"] ?? ""),
                    CliOutput.Cell((string?)r["status"]), CliOutput.Cell((string?)r["health"] ?? ""), new Text((string?)r["message"] ?? ""));
            o.Write(table);
        }
    }
}
