using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api.Tables;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// meta.k8s.io/v1 Table output (what `kubectl get` asks for): a built-in kind's 1.26 printer
/// (<see cref="BuiltinPrinters"/>), a CRD's additionalPrinterColumns for custom resources, and otherwise
/// the apiserver's default convertor (Name, Created At).
/// </summary>
public sealed class TableConverter(Func<ResourceType, IReadOnlyList<PrinterColumn>> columnsOf, IClock clock)
{
    private static readonly TableColumn NameColumn = new("Name", "string", Docs.Meta("name"), Format: "name");

    public JsonObject Convert(ResourceType type, IEnumerable<JsonObject> objects, string? resourceVersion, bool includeObject, string? continueToken = null)
    {
        var (definitions, cellsOf) = Printer(type);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            rows.Add((JsonNode)new JsonObject
            {
                ["cells"] = new JsonArray([.. cellsOf(obj)]),
                ["object"] = includeObject ? obj.DeepClone() : PartialMetadata(obj),
            });
        }
        var metadata = new JsonObject();
        if (resourceVersion is not null) metadata["resourceVersion"] = resourceVersion;
        if (continueToken is not null) metadata["continue"] = continueToken;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray([.. definitions.Select(Column)]),
            ["rows"] = rows,
        };
    }

    private (IReadOnlyList<TableColumn> Definitions, Func<JsonObject, IEnumerable<JsonNode?>> Cells) Printer(ResourceType type)
    {
        if (!type.IsCustom && BuiltinPrinters.For(type) is { } printer)
            return (printer.Columns, obj => printer.Row(new PrintContext(obj, clock.Now)).Select(CellValue));
        var columns = type.IsCustom ? columnsOf(type) : [PrinterColumn.CreatedAt];
        return ([NameColumn, .. columns.Select(c => new TableColumn(c.Name, c.Type, c.Description, c.Priority, c.Format))],
                obj => [ObjectMeta.Name(obj), .. columns.Select(c => Cell(c, obj))]);
    }

    private static JsonNode? CellValue(object? value) => value switch
    {
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create((long)i),
        bool b => JsonValue.Create(b),
        _ => null,
    };

    private static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private static JsonObject Column(TableColumn c) => new()
    {
        ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description, ["priority"] = c.Priority,
    };

    private JsonNode? Cell(PrinterColumn column, JsonObject obj)
    {
        var value = SimpleJsonPath.Evaluate(obj, column.JsonPath);
        if (column == PrinterColumn.CreatedAt)
            return value?.DeepClone();
        if (column.Type == "date")
            return value is JsonValue v && DateTimeOffset.TryParse(v.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? HumanDuration(clock.Now - t) : "<unknown>";
        return value?.DeepClone() ?? (column.Type is "integer" or "number" or "boolean" ? null : "");
    }

    /// <summary>apimachinery's duration.HumanDuration: the short age kubectl prints ("45s", "3m20s", "5h3m", "2d4h", "3y").</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10) return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 60 * 3) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8) return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8) return (hours / 24) % 365 == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{(hours / 24) % 365}d";
        return $"{hours / 24 / 365}y";
    }
}

/// <summary>One column of `kubectl get` output: a CRD's additionalPrinterColumns entry, or a built-in one.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string Format = "", string Description = "", int Priority = 0)
{
    public static PrinterColumn Age { get; } = new("Age", "date", ".metadata.creationTimestamp", "", Docs.Meta("creationTimestamp"));

    /// <summary>The default convertor's column: the creation time itself (RFC 3339), not an age.</summary>
    public static PrinterColumn CreatedAt { get; } = new("Created At", "date", ".metadata.creationTimestamp", "", Docs.Meta("creationTimestamp"));
}
