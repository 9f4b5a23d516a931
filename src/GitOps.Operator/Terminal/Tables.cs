using Spectre.Console;

namespace GitOps.Operator.Terminal;

/// <summary>How the command line and the demo draw tables of Applications on a terminal.</summary>
public static class Tables
{
    /// <summary>A borderless table like kubectl's, with upper-case headers.</summary>
    public static Table New(params string[] headers)
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
}
