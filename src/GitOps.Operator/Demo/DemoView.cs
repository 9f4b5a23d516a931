using System.Globalization;
using GitOps.Operator.Terminal;
using Spectre.Console;

namespace GitOps.Operator.Demo;

/// <summary>One Application as the demo shows it: the phase a newcomer follows, plus the raw sync and health.</summary>
internal sealed record AppRow(string Name, string Path, string Phase, string Sync, string Health, string Revision, string Message);

/// <summary>How the demo shows its progress: plain lines (scripts, CI, pipes) or a live table on a terminal.</summary>
internal interface IDemoView
{
    void Step(string title);

    void Line(string text);

    /// <summary>Runs <paramref name="body"/> while showing the apps; the body reports every new state through the callback.</summary>
    Task TrackAsync(string title, Func<Action<IReadOnlyList<AppRow>>, Task> body);
}

/// <summary>Plain lines with the time since the demo started; an app's line is printed when its phase or health changes.</summary>
internal sealed class PlainDemoView(TextWriter output, TimeProvider time) : IDemoView
{
    private readonly long _start = time.GetTimestamp();

    private string Elapsed => string.Create(CultureInfo.InvariantCulture, $"[{time.GetElapsedTime(_start).TotalSeconds,6:0.0}s]");

    public void Step(string title) => output.WriteLine($"{Elapsed} == {title}");

    public void Line(string text) => output.WriteLine($"{Elapsed}    {text}");

    public async Task TrackAsync(string title, Func<Action<IReadOnlyList<AppRow>>, Task> body)
    {
        Step(title);
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        await body(rows =>
        {
            foreach (var r in rows)
            {
                var state = $"{r.Phase} (sync {r.Sync}, health {r.Health})";
                if (shown.GetValueOrDefault(r.Name) == state) continue;
                var arrow = shown.TryGetValue(r.Name, out var before) ? $"{before.Split(' ')[0]} -> " : "";
                shown[r.Name] = state;
                Line($"{r.Name,-16} {arrow}{state}{(r.Revision.Length > 0 ? " at " + r.Revision : "")}{(r.Message.Length > 0 ? ": " + r.Message : "")}");
            }
        });
    }
}

/// <summary>Rules for steps and a live-updating table of the apps (Spectre.Console), for a person at a terminal.</summary>
internal sealed class LiveDemoView(IAnsiConsole console) : IDemoView
{
    public void Step(string title) => console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());

    public void Line(string text) => console.MarkupLine("  " + Markup.Escape(text));

    public async Task TrackAsync(string title, Func<Action<IReadOnlyList<AppRow>>, Task> body)
    {
        Step(title);
        var table = Tables.New("application", "path", "phase", "sync", "health", "revision");
        IReadOnlyList<AppRow> last = [];
        var spinner = 0;
        string[] frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
        await console.Live(table).AutoClear(false).StartAsync(async ctx =>
        {
            void Render(IReadOnlyList<AppRow> rows)
            {
                last = rows;
                table.Rows.Clear();
                spinner++;
                foreach (var r in rows)
                {
                    var done = r.Phase == "Synced";
                    var phase = done ? "[green]✔ Synced[/]" : $"[yellow]{frames[spinner % frames.Length]} {Markup.Escape(r.Phase)}[/]";
                    table.AddRow(new Text(r.Name), new Text(r.Path), new Markup(phase), Tables.Cell(r.Sync), Tables.Cell(r.Health), new Text(r.Revision));
                }
                ctx.Refresh();
            }
            await body(Render);
        });
        foreach (var r in last.Where(r => r.Message.Length > 0)) Line($"{r.Name}: {r.Message}");
    }
}
