using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;

namespace GitOps.Sandbox.Api.Tables;

/// <summary>The cell formats printers.go shares between kinds (labels, selectors, containers, ages).</summary>
internal static class Cells
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node is JsonObject o ? o[p] : null;
        return node;
    }

    public static string Str(JsonNode? node, params string[] path) => At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static long Int(JsonNode? node, params string[] path) => At(node, path) is JsonValue v ? Json.AsLong(v) ?? 0 : 0;

    public static int Count(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonArray a => a.Count,
        JsonObject o => o.Count,
        _ => 0,
    };

    public static DateTimeOffset? Time(JsonNode? node, params string[] path) =>
        DateTimeOffset.TryParse(Str(node, path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>translateTimestampSince: the age of a timestamp, "&lt;unknown&gt;" when unset.</summary>
    public static string Since(DateTimeOffset now, DateTimeOffset? t) => t is { } time ? TableConverter.HumanDuration(now - time) : "<unknown>";

    public static string Age(PrintContext c) => Since(c.Now, Time(c.Obj, "metadata", "creationTimestamp"));

    public static string Name(PrintContext c) => Str(c.Obj, "metadata", "name");

    /// <summary>layoutContainerCells: container names and images, comma-separated.</summary>
    public static (string Names, string Images) Containers(JsonNode? podSpec)
    {
        var containers = Json.Objects(At(podSpec, "containers") as JsonArray).ToList();
        return (string.Join(",", containers.Select(c => Str(c, "name"))), string.Join(",", containers.Select(c => Str(c, "image"))));
    }

    /// <summary>labels.FormatLabels: sorted k=v pairs, "&lt;none&gt;" when empty.</summary>
    public static string Labels(JsonNode? map)
    {
        var pairs = (map as JsonObject)?.Select(p => p.Key + "=" + p.Value).Order(StringComparer.Ordinal).ToList() ?? [];
        return pairs.Count == 0 ? "<none>" : string.Join(",", pairs);
    }

    /// <summary>LabelSelectorAsSelector(...).String(): requirements sorted by key; "" for an empty or absent selector.</summary>
    public static string Selector(JsonNode? selector)
    {
        var requirements = new List<(string Key, string Text)>();
        if (At(selector, "matchLabels") is JsonObject labels)
            requirements.AddRange(labels.Select(p => (p.Key, p.Key + "=" + p.Value)));
        foreach (var e in Json.Objects(At(selector, "matchExpressions") as JsonArray))
        {
            var key = Str(e, "key");
            var values = string.Join(",", (At(e, "values") as JsonArray ?? []).Select(v => v?.ToString() ?? "").Order(StringComparer.Ordinal));
            requirements.Add((key, Str(e, "operator") switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var op => $"{key} {op} ({values})",
            }));
        }
        return string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    /// <summary>metav1.FormatLabelSelector: the selector string, "&lt;none&gt;" when it selects everything.</summary>
    public static string FormatSelector(JsonNode? selector) => Selector(selector) is { Length: > 0 } s ? s : "<none>";

    /// <summary>helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once.</summary>
    public static string AccessModes(JsonNode? modes)
    {
        var present = (modes as JsonArray ?? []).Select(m => m?.ToString()).ToHashSet();
        (string Mode, string Short)[] order =
            [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")];
        return string.Join(",", order.Where(o => present.Contains(o.Mode)).Select(o => o.Short));
    }

    /// <summary>printBoolPtr: "True"/"False", "&lt;unset&gt;" when absent.</summary>
    public static string BoolPtr(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? (b ? "True" : "False") : "<unset>";

    /// <summary>IntOrString.String().</summary>
    public static string IntOrString(JsonNode? node) => node?.ToString() ?? "";
}
