using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace GitOps.Operator.Cli;

/// <summary>
/// Where a command writes: its output and error writers (the invocation's, so tests capture them),
/// a Spectre console over the output for tables (colours only on a terminal), and json/yaml printers.
/// </summary>
public sealed class CliOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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

    public void Json(JsonNode? node) => Out.WriteLine(WithoutManagedFields(node)?.ToJsonString(Indented) ?? "null");

    public void Yaml(JsonNode? node) => Out.Write(ToYaml(WithoutManagedFields(node)));

    /// <summary>Writes a table or grid: straight to a terminal, else rendered and with trailing blanks trimmed (greppable).</summary>
    public void Write(Spectre.Console.Rendering.IRenderable renderable)
    {
        if (IsTerminal)
        {
            Console.Write(renderable);
            return;
        }
        var buffer = new StringWriter();
        var plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(buffer),
        });
        plain.Profile.Width = 240;
        plain.Write(renderable);
        var lines = buffer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        foreach (var line in lines) Out.WriteLine(line.TrimEnd());
    }

    /// <summary>A copy without metadata.managedFields (as kubectl prints objects by default).</summary>
    private static JsonNode? WithoutManagedFields(JsonNode? node)
    {
        if (node is null) return null;
        var copy = node.DeepClone();
        foreach (var obj in copy is JsonObject { } o && o["items"] is JsonArray items ? items.OfType<JsonObject>() : copy is JsonObject one ? [one] : [])
            (obj["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    public static string ToYaml(JsonNode? node, bool sortKeys = false) => Preview.YamlText.Of(node, sortKeys);

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

    public static string Short(string? revision) => Applications.Revision.Short(revision);
}
