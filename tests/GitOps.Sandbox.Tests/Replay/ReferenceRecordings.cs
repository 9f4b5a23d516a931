using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Admission;

namespace GitOps.Sandbox.Tests.Replay;

/// <summary>One recorded case: a scenario or defaults file.</summary>
internal sealed record RecordedCase(string Name, string File, JsonObject Document)
{
    public JsonArray? Steps => Document["steps"] as JsonArray;

    /// <summary>
    /// Where the case ran in the recording: the first resourceVersion a response carries. Cases
    /// share namespace <c>reference</c>, so lists see what earlier cases left; replaying them in the
    /// recorded order reproduces that.
    /// </summary>
    public long RecordedOrder
    {
        get
        {
            if (Steps is { } steps)
                foreach (var step in steps)
                    if (step?["response"]?["body"]?["metadata"]?["resourceVersion"]?.ToString() is { } rv)
                        return long.Parse(rv, CultureInfo.InvariantCulture);
            if (Document["events"] is JsonArray events && events.Count > 0)
                return long.Parse(events[0]!["object"]!["metadata"]!["resourceVersion"]!.ToString(), CultureInfo.InvariantCulture);
            return long.MaxValue;
        }
    }
}

/// <summary>Reads the recordings of src/GitOps.Sandbox/Reference and turns request bodies into HTTP content.</summary>
internal static class ReferenceRecordings
{
    public const string Namespace = "reference";
    public const string UserAgent = "Python-urllib/3.11";

    public static IReadOnlyList<RecordedCase> Cases { get; } = Load();

    public static RecordedCase Case(string name) => Cases.Single(c => c.Name == name);

    private static List<RecordedCase> Load()
    {
        var cases = new List<RecordedCase>();
        foreach (var folder in new[] { "defaults", "scenarios" })
            foreach (var path in Directory.GetFiles(ReferenceFiles.Dir(folder), "*.json"))
            {
                var file = $"{folder}/{Path.GetFileName(path)}";
                cases.Add(new RecordedCase($"{folder}/{Path.GetFileNameWithoutExtension(path)}", file, ReferenceFiles.Load(file)));
            }
        return [.. cases.OrderBy(c => c.RecordedOrder).ThenBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>Discovery documents: file under discovery/ and the path it was read from.</summary>
    public static IEnumerable<(string File, string Path)> DiscoveryDocuments()
    {
        var root = ReferenceFiles.Dir("discovery");
        foreach (var path in Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            yield return ("discovery/" + relative, "/" + relative[..^".json".Length]);
        }
    }

    /// <summary>The request's body as sent: JSON, the raw text of a string body, or YAML for apply patches.</summary>
    public static HttpContent? Content(JsonObject request)
    {
        var contentType = request["contentType"]?.GetValue<string>();
        var body = request["body"];
        if (body is null || contentType is null) return null;
        var text = body is JsonValue v && v.TryGetValue<string>(out var raw) ? raw
            : contentType == "application/apply-patch+yaml" ? Yaml(body) : body.ToJsonString();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    /// <summary>Block-style YAML of a JSON tree (strings double-quoted, as JSON escapes them).</summary>
    public static string Yaml(JsonNode node)
    {
        var sb = new StringBuilder();
        WriteYaml(sb, node, 0);
        return sb.ToString();
    }

    private static void WriteYaml(StringBuilder sb, JsonNode? node, int indent)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject { Count: > 0 } o:
                foreach (var (k, v) in o)
                {
                    sb.Append(pad).Append(JsonSerializer.Serialize(k)).Append(':');
                    WriteChild(sb, v, indent);
                }
                return;
            case JsonArray { Count: > 0 } a:
                foreach (var v in a)
                {
                    sb.Append(pad).Append('-');
                    WriteChild(sb, v, indent);
                }
                return;
            default:
                sb.Append(pad).Append(Scalar(node)).Append('\n');
                return;
        }
    }

    private static void WriteChild(StringBuilder sb, JsonNode? v, int indent)
    {
        if (v is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
        {
            sb.Append('\n');
            WriteYaml(sb, v, indent + 2);
        }
        else sb.Append(' ').Append(Scalar(v)).Append('\n');
    }

    private static string Scalar(JsonNode? v) => v switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ => v.ToJsonString(),
    };
}
