using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Tests.Admission;

/// <summary>Reads the recorded reference files from the source tree and compares JSON trees.</summary>
internal static class ReferenceFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "GitOps.Sandbox", "Reference");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("src/GitOps.Sandbox/Reference not found above " + AppContext.BaseDirectory);
    });

    public static string Dir(string relative) => Path.Combine(Root.Value, relative);

    public static JsonObject Load(string relative) => JsonNode.Parse(File.ReadAllText(Dir(relative)))!.AsObject();

    public static IEnumerable<JsonObject> Steps(string relative) => Load(relative)["steps"]!.AsArray().OfType<JsonObject>();

    /// <summary>Paths where two trees differ (objects unordered, arrays ordered, numbers by value).</summary>
    public static List<string> Diff(JsonNode? expected, JsonNode? actual, string path = "")
    {
        var diffs = new List<string>();
        Walk(expected, actual, path, diffs);
        return diffs;
    }

    private static void Walk(JsonNode? e, JsonNode? a, string path, List<string> diffs)
    {
        switch (e, a)
        {
            case (null, null): return;
            case (JsonObject eo, JsonObject ao):
                foreach (var (k, v) in eo)
                    if (!ao.ContainsKey(k)) diffs.Add($"{path}/{k}: missing, expected {v?.ToJsonString()}");
                    else Walk(v, ao[k], $"{path}/{k}", diffs);
                foreach (var (k, v) in ao)
                    if (!eo.ContainsKey(k)) diffs.Add($"{path}/{k}: unexpected {v?.ToJsonString()}");
                return;
            case (JsonArray ea, JsonArray aa):
                if (ea.Count != aa.Count) { diffs.Add($"{path}: expected {ea.ToJsonString()}, got {aa.ToJsonString()}"); return; }
                for (var i = 0; i < ea.Count; i++) Walk(ea[i], aa[i], $"{path}/{i}", diffs);
                return;
            case (JsonValue ev, JsonValue av):
                if (ev.GetValueKind() == JsonValueKind.Number && av.GetValueKind() == JsonValueKind.Number)
                {
                    if (double.Parse(ev.ToJsonString(), CultureInfo.InvariantCulture) != double.Parse(av.ToJsonString(), CultureInfo.InvariantCulture))
                        diffs.Add($"{path}: expected {ev.ToJsonString()}, got {av.ToJsonString()}");
                    return;
                }
                if (ev.ToJsonString() != av.ToJsonString()) diffs.Add($"{path}: expected {ev.ToJsonString()}, got {av.ToJsonString()}");
                return;
            default:
                diffs.Add($"{path}: expected {e?.ToJsonString() ?? "null"}, got {a?.ToJsonString() ?? "null"}");
                return;
        }
    }

    /// <summary>
    /// Removes null-valued fields at any depth, and objects left empty by that (Go serialization of
    /// zero structs and times, e.g. a template's <c>metadata: {creationTimestamp: null}</c>).
    /// </summary>
    public static void DropNulls(JsonNode? node) => Prune(node);

    private static bool Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var hadNull = false;
                foreach (var k in o.Where(p => p.Value is null).Select(p => p.Key).ToList()) { o.Remove(k); hadNull = true; }
                foreach (var k in o.Where(p => Prune(p.Value)).Select(p => p.Key).ToList()) o.Remove(k);
                return hadNull && o.Count == 0;
            case JsonArray a:
                foreach (var v in a) Prune(v);
                return false;
            default:
                return false;
        }
    }
}
