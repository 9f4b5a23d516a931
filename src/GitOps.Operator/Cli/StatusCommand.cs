using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Operator.Status;
using GitOps.Operator.Terminal;
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
                else
                {
                    Describe(o, one, DateTimeOffset.UtcNow);
                    await DescribeDependenciesAsync(o, client, one, ct);
                }
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
        var table = Tables.New([.. headers]);
        foreach (var a in apps)
        {
            var cells = new List<Spectre.Console.Rendering.IRenderable>();
            var status = ApplicationStatus.Of(a);
            if (withNamespace) cells.Add(new Text(ApplicationClient.Namespace(a)));
            cells.Add(new Text(ApplicationClient.Name(a)));
            cells.Add(Tables.Cell(ApplicationClient.IsSuspended(a) ? "Suspended" : status.Sync?.Status ?? "Unknown"));
            cells.Add(Tables.Cell(status.Health?.Status ?? "Unknown"));
            cells.Add(new Text(status.ShortRevision));
            cells.Add(new Text(CliOutput.Age((string?)a["metadata"]?["creationTimestamp"], now)));
            if (wide)
            {
                cells.Add(new Text((string?)a["spec"]?["source"]?["repoURL"] ?? ""));
                cells.Add(new Text((string?)a["spec"]?["source"]?["path"] ?? "."));
                cells.Add(new Text(status.Find(Reasons.Ready)?.Message ?? ""));
            }
            table.AddRow(cells);
        }
        return table;
    }

    private static void Describe(CliOutput o, JsonObject app, DateTimeOffset now)
    {
        var status = ApplicationStatus.Of(app);
        var source = app["spec"]?["source"];
        var grid = new Grid().AddColumn(new GridColumn().PadRight(2)).AddColumn();
        void Row(string label, Spectre.Console.Rendering.IRenderable value) => grid.AddRow(new Text(label + ":", new Style(decoration: Decoration.Bold)), value);
        Row("Name", new Text($"{ApplicationClient.Namespace(app)}/{ApplicationClient.Name(app)}"));
        Row("Source", new Text($"{source?["repoURL"]} @ {(string?)source?["targetRevision"] ?? "HEAD"}, path {(string?)source?["path"] ?? "."}"));
        Row("Destination", new Text((string?)app["spec"]?["destination"]?["namespace"] ?? ""));
        Row("Sync", Tables.Cell(status.Sync?.Status ?? "Unknown"));
        Row("Revision", new Text(status.Sync?.Revision ?? ""));
        var health = status.Health?.Status ?? "Unknown";
        var healthMessage = status.Health?.Message;
        Row("Health", new Markup(Tables.ColourMarkup(health) + (string.IsNullOrEmpty(healthMessage) ? "" : Markup.Escape($" ({healthMessage})"))));
        if (ApplicationClient.IsSuspended(app)) Row("Suspended", new Text("yes (gitops resume to continue)"));
        if (status.OperationState is { Phase: not null } op)
            Row("Last sync", new Text($"{op.Phase} at {(op.FinishedAt is { } finished ? KubeTimeConverter.Format(finished) : "")}: {op.Message}"));
        o.Write(grid);

        if (status.Conditions.Count > 0)
        {
            o.Out.WriteLine();
            var table = Tables.New("condition", "status", "reason", "age", "message");
            foreach (var c in status.Conditions)
                table.AddRow(new Text(c.Type), Tables.Cell(c.Status), new Text(c.Reason),
                    new Text(CliOutput.Age(KubeTimeConverter.Format(c.LastTransitionTime), now)), new Text(c.Message));
            o.Write(table);
        }
        if (status.Resources.Count > 0)
        {
            o.Out.WriteLine();
            var table = Tables.New("kind", "namespace", "name", "status", "health", "message");
            foreach (var r in status.Resources)
                table.AddRow(new Text(r.Kind), new Text(r.Namespace), new Text(r.Name),
                    Tables.Cell(r.Status), Tables.Cell(r.Health ?? ""), new Text(r.Message ?? ""));
            o.Write(table);
        }
    }

    /// <summary>The dependsOn graph below an Application, one line per dependency with where it stands (a cycle is shown once and marked).</summary>
    private static async Task DescribeDependenciesAsync(CliOutput o, ApplicationClient client, JsonObject app, CancellationToken ct)
    {
        if (Applications.Application.DependenciesOf(app).Count == 0) return;
        o.Out.WriteLine();
        var table = Tables.New("depends on", "ready", "health", "revision", "message");
        var seen = new HashSet<Engine.Plan.AppIdentity> { new(ApplicationClient.Namespace(app), ApplicationClient.Name(app)) };
        async Task WalkAsync(JsonObject from, int depth)
        {
            foreach (var dependency in Applications.Application.DependenciesOf(from))
            {
                var label = new string(' ', depth * 2) + dependency;
                if (!seen.Add(dependency))
                {
                    table.AddRow(new Text(label), new Text(""), new Text(""), new Text(""), new Text("(cycle, or shown above)"));
                    continue;
                }
                var obj = await client.TryGetAsync(dependency.Namespace, dependency.Name, ct);
                if (obj is null)
                {
                    table.AddRow(new Text(label), Tables.Cell("Missing"), new Text(""), new Text(""), new Text("no such Application"));
                    continue;
                }
                var status = ApplicationStatus.Of(obj);
                var ready = status.Find(Reasons.Ready);
                table.AddRow(new Text(label), Tables.Cell(ready?.Status ?? "Unknown"), Tables.Cell(status.Health?.Status ?? "Unknown"),
                    new Text(status.ShortRevision), new Text(ready?.Status == Condition.True ? "" : ready?.Message ?? ""));
                await WalkAsync(obj, depth + 1);
            }
        }
        await WalkAsync(app, 0);
        o.Write(table);
    }
}
