using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using YamlDotNet.Serialization;

namespace GitOps.Operator.Cli;

/// <summary>
/// Where a command writes: its output and error writers (the invocation's, so tests capture them),
/// a Spectre console over the output for tables (colours only on a terminal), and json/yaml printers.
/// </summary>
public sealed class CliOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public CliOutput(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        IsTerminal = terminal;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!terminal) Console.Profile.Width = 240;
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public bool IsTerminal { get; }
    public IAnsiConsole Console { get; }

    public static CliOutput Of(System.CommandLine.ParseResult result) =>
        new(result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);

    public void Json(JsonNode? node) => Out.WriteLine(node?.ToJsonString(Indented) ?? "null");

    public void Yaml(JsonNode? node) => Out.Write(ToYaml(node));

    public static string ToYaml(JsonNode? node) =>
        new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(ToPlain(node));

    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    /// <summary>A borderless table like kubectl's, with upper-case headers.</summary>
    public static Table NewTable(params string[] headers)
    {
        var table = new Table().Border(TableBorder.None).HideRowSeparators();
        table.ShowHeaders = true;
        foreach (var h in headers) table.AddColumn(new TableColumn(new Text(h.ToUpperInvariant(), new Style(decoration: Decoration.Bold))).PadLeft(0).PadRight(3));
        return table;
    }

    /// <summary>A cell, coloured by what the word means (on a terminal only).</summary>
    public static Markup Cell(string? text) => new(ColourMarkup(text ?? ""));

    /// <summary>Markup text of a status word in its colour: green for good, yellow for moving, red for bad.</summary>
    public static string ColourMarkup(string text)
    {
        var colour = text switch
        {
            "Synced" or "Healthy" or "Succeeded" or "True" => "green",
            "OutOfSync" or "Progressing" or "Running" or "Syncing" => "yellow",
            "Degraded" or "Failed" or "Missing" or "Unknown" => "red",
            "Suspended" => "blue",
            _ => null,
        };
        return colour is null ? Markup.Escape(text) : $"[{colour}]{Markup.Escape(text)}[/]";
    }

    public static string Age(string? timestamp, DateTimeOffset now)
    {
        if (timestamp is null || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return "";
        var d = now - t;
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d.TotalSeconds < 120 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 120 ? $"{(int)d.TotalMinutes}m"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h"
            : $"{(int)d.TotalDays}d";
    }

    public static string Short(string? revision) => string.IsNullOrEmpty(revision) ? "" : revision[..Math.Min(12, revision.Length)];
}
