using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// meta.k8s.io/v1 Table output (what `kubectl get` asks for): Name and Age for built-in kinds,
/// and a CRD's additionalPrinterColumns (falling back to Age) for custom resources.
/// </summary>
public sealed class TableConverter(Func<ResourceType, IReadOnlyList<PrinterColumn>> columnsOf, IClock clock)
{
    public JsonObject Convert(ResourceType type, IEnumerable<JsonObject> objects, string? resourceVersion, bool includeObject, string? continueToken = null)
    {
        var columns = columnsOf(type);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray { (JsonNode)ObjectMeta.Name(obj) };
            foreach (var c in columns) cells.Add(Cell(c, obj));
            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = includeObject ? obj.DeepClone() : PartialMetadata(obj),
            });
        }
        var definitions = new JsonArray
        {
            Column("Name", "string", "name", "Name must be unique within a namespace.", 0),
        };
        foreach (var c in columns) definitions.Add(Column(c.Name, c.Type, c.Format, c.Description, c.Priority));
        var metadata = new JsonObject();
        if (resourceVersion is not null) metadata["resourceVersion"] = resourceVersion;
        if (continueToken is not null) metadata["continue"] = continueToken;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name, ["type"] = type, ["format"] = format, ["description"] = description, ["priority"] = priority,
    };

    private JsonNode? Cell(PrinterColumn column, JsonObject obj)
    {
        var value = SimpleJsonPath.Evaluate(obj, column.JsonPath);
        if (column.Type == "date")
            return value is JsonValue v && DateTimeOffset.TryParse(v.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? HumanDuration(clock.Now - t) : "<unknown>";
        return value?.DeepClone() ?? (column.Type is "integer" or "number" or "boolean" ? null : "");
    }

    /// <summary>The short age kubectl prints ("45s", "3m", "2h", "5d").</summary>
    public static string HumanDuration(TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        if (d.TotalSeconds < 120) return $"{(int)d.TotalSeconds}s";
        if (d.TotalMinutes < 10) return d.Seconds == 0 ? $"{(int)d.TotalMinutes}m" : $"{(int)d.TotalMinutes}m{d.Seconds}s";
        if (d.TotalMinutes < 180) return $"{(int)d.TotalMinutes}m";
        if (d.TotalHours < 48) return $"{(int)d.TotalHours}h";
        if (d.TotalDays < 730) return $"{(int)d.TotalDays}d";
        return $"{(int)(d.TotalDays / 365)}y";
    }
}

/// <summary>One column of `kubectl get` output: a CRD's additionalPrinterColumns entry, or a built-in one.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string Format = "", string Description = "", int Priority = 0)
{
    public static PrinterColumn Age { get; } = new("Age", "date", ".metadata.creationTimestamp", "", "CreationTimestamp is a timestamp representing the server time when this object was created.");
}
