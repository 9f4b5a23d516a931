using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Sandbox.Tests.Replay;

/// <summary>
/// Masks what differs on every run (uid, times, generated names, allocated IPs and ports, continue
/// tokens) and maps resourceVersions to their rank among all versions seen in one case, so two
/// answers compare equal when their versions stand in the same order (equal, or later).
/// </summary>
internal sealed partial class ResponseMasker
{
    private readonly SortedSet<long> _versions = [];

    /// <summary>First pass: remember every resourceVersion of a body (fields, and inside messages).</summary>
    public void Collect(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k == "resourceVersion" && v is JsonValue rv && long.TryParse(rv.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) _versions.Add(n);
                    else Collect(v);
                }
                return;
            case JsonArray a:
                foreach (var v in a) Collect(v);
                return;
            case JsonValue s when s.TryGetValue<string>(out var text):
                foreach (Match m in EmbeddedVersion().Matches(text)) _versions.Add(long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
                return;
        }
    }

    /// <summary>Second pass: a masked copy of a body.</summary>
    public JsonNode? Mask(JsonNode? node)
    {
        var copy = node?.DeepClone();
        Walk(copy, null);
        return copy;
    }

    private string Rank(string rv) =>
        long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && _versions.Contains(n)
            ? "<rv" + _versions.GetViewBetween(long.MinValue, n).Count.ToString(CultureInfo.InvariantCulture) + ">"
            : rv;

    private void Walk(JsonNode? node, string? key)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var k in o.Select(p => p.Key).ToList())
                {
                    var v = o[k];
                    switch (k)
                    {
                        case "uid" when v is JsonValue: o[k] = "<uid>"; continue;
                        case "resourceVersion" when v is JsonValue: o[k] = Rank(v.ToString()); continue;
                        case "continue" when v is JsonValue && key == "metadata": o[k] = "<continue>"; continue;
                        case "clusterIP" when v is JsonValue ip && ip.ToString() != "None": o[k] = "<ip>"; continue;
                        case "clusterIPs" when v is JsonArray ips:
                            for (var i = 0; i < ips.Count; i++) if (ips[i]?.ToString() != "None") ips[i] = "<ip>";
                            continue;
                        case "nodePort" when v is JsonValue: o[k] = "<port>"; continue;
                    }
                    Walk(v, k);
                }
                if (key == "metadata" && o["generateName"] is JsonValue prefix && o["name"] is JsonValue name
                    && name.ToString().StartsWith(prefix.ToString(), StringComparison.Ordinal))
                    o["name"] = prefix + "<suffix>";
                return;
            case JsonArray a:
                foreach (var v in a) Walk(v, key);
                return;
            case JsonValue s when s.TryGetValue<string>(out var text):
                var masked = MaskText(text);
                if (masked != text) s.ReplaceWith(JsonValue.Create(masked));
                return;
        }
    }

    private string MaskText(string text)
    {
        if (FullTime().IsMatch(text)) return "<time>";
        text = Uid().Replace(text, "<uid>");
        text = Time().Replace(text, "<time>");
        text = AccessVolume().Replace(text, "kube-api-access-<suffix>");
        return EmbeddedVersion().Replace(text, m => m.Groups[1].Value + Rank(m.Groups[2].Value));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex FullTime();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex Time();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uid();

    [GeneratedRegex(@"kube-api-access-[a-z0-9]{5}")]
    private static partial Regex AccessVolume();

    [GeneratedRegex(@"(resourceVersion\\*""\s*:\s*\\*"")(\d+)")]
    private static partial Regex EmbeddedVersion();
}
