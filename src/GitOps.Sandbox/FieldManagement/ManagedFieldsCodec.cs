using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>Reads and writes metadata.managedFields in the apiserver's order and layout.</summary>
public static class ManagedFieldsCodec
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The entries of an object, or null when it has no managedFields at all.</summary>
    public static List<ManagedFieldsEntry>? Read(JsonObject? obj)
    {
        if (obj?["metadata"]?["managedFields"] is not JsonArray array) return null;
        var entries = new List<ManagedFieldsEntry>();
        foreach (var item in array)
        {
            if (item is not JsonObject e || e["manager"]?.GetValue<string>() is not { } manager) continue;
            var operation = e["operation"]?.GetValue<string>() == "Apply" ? ManagedFieldsOperation.Apply : ManagedFieldsOperation.Update;
            DateTimeOffset? time = e["time"]?.GetValue<string>() is { } t
                ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                : null;
            entries.Add(new ManagedFieldsEntry(manager, operation, e["apiVersion"]?.GetValue<string>() ?? "", time,
                FieldsV1.Read(e["fieldsV1"] as JsonObject), e["subresource"]?.GetValue<string>()));
        }
        return entries;
    }

    /// <summary>
    /// kube-apiserver's order: Apply before Update, then by time (seconds), manager, apiVersion, subresource.
    /// </summary>
    public static List<ManagedFieldsEntry> Sort(IEnumerable<ManagedFieldsEntry> entries) =>
        entries.OrderBy(e => e.Operation)
            .ThenBy(e => e.Time?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Sets metadata.managedFields (removed when there is no entry). Built-in kinds are written in the
    /// Go struct's field order; custom resources are unstructured, so their keys come out sorted.
    /// </summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries, bool sortedKeys)
    {
        var sorted = Sort(entries);
        if (obj["metadata"] is not JsonObject metadata)
        {
            if (sorted.Count == 0) return;
            obj["metadata"] = metadata = new JsonObject();
        }
        if (sorted.Count == 0) { metadata.Remove("managedFields"); return; }
        metadata["managedFields"] = new JsonArray(sorted.Select(e => (JsonNode)ToJson(e, sortedKeys)).ToArray());
    }

    public static JsonObject ToJson(ManagedFieldsEntry e, bool sortedKeys)
    {
        var pairs = new List<(string Key, JsonNode? Value)>
        {
            ("manager", e.Manager),
            ("operation", e.Operation.ToString()),
            ("apiVersion", e.ApiVersion),
        };
        if (e.Time is { } time) pairs.Add(("time", FormatTime(time)));
        pairs.Add(("fieldsType", "FieldsV1"));
        pairs.Add(("fieldsV1", FieldsV1.Write(e.Fields)));
        if (!string.IsNullOrEmpty(e.Subresource)) pairs.Add(("subresource", e.Subresource));
        if (sortedKeys) pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var json = new JsonObject();
        foreach (var (k, v) in pairs) json[k] = v;
        return json;
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);
}
