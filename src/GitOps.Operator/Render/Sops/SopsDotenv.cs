using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// dotenv as SOPS writes it: <c>KEY=value</c> lines (a <c>\n</c> in a value written as backslash-n),
/// <c>#</c> comments skipped, and the metadata flattened into <c>sops_…</c> keys
/// (<c>sops_age__list_0__map_enc</c>).
/// </summary>
internal static class SopsDotenv
{
    private const string Prefix = "sops_";
    private const string MapSeparator = "__map_";
    private const string ListSeparator = "__list_";

    /// <summary>One branch; the flattened metadata keys become a nested <c>sops</c> object at its end.</summary>
    public static JsonObject Load(string text)
    {
        var data = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) throw new SopsException("has a dotenv line without '='");
            data.Add(KeyValuePair.Create(line[..eq], line[(eq + 1)..].Replace("\\n", "\n", StringComparison.Ordinal)));
        }
        return FromPairs(data);
    }

    /// <summary>A branch from key/value pairs (a dotenv file, or the data of a Secret kustomize generated from one).</summary>
    public static JsonObject FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var branch = new JsonObject();
        var metadata = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in pairs)
        {
            if (key.StartsWith(Prefix, StringComparison.Ordinal)) metadata.Add(KeyValuePair.Create(key[Prefix.Length..], value));
            else if (branch.ContainsKey(key)) throw new SopsException($"has the key \"{key}\" twice");
            else branch[key] = value;
        }
        if (metadata.Count > 0) branch[SopsMetadata.Key] = Unflatten(metadata);
        return branch;
    }

    public static string Emit(JsonObject branch)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in branch)
        {
            if (key == SopsMetadata.Key && value is JsonObject metadata)
            {
                foreach (var (k, v) in Flatten(metadata, Prefix)) text.Append(k).Append('=').Append(v.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
                continue;
            }
            if (value is JsonObject or JsonArray) throw new SopsException($"has the nested value \"{key}\", which dotenv cannot hold");
            var s = value is JsonValue jv && jv.TryGetValue<string>(out var str) ? str : value?.ToJsonString() ?? "";
            text.Append(key).Append('=').Append(s.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }
        return text.ToString();
    }

    private static IEnumerable<(string Key, string Value)> Flatten(JsonNode? node, string prefix)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                    foreach (var pair in Flatten(v, prefix + (prefix.EndsWith(Prefix, StringComparison.Ordinal) && prefix.Length == Prefix.Length ? "" : MapSeparator) + k)) yield return pair;
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    foreach (var pair in Flatten(a[i], prefix + ListSeparator + i.ToString(CultureInfo.InvariantCulture))) yield return pair;
                break;
            case JsonValue v:
                yield return (prefix, v.TryGetValue<string>(out var s) ? s : v.TryGetValue<bool>(out var b) ? (b ? "true" : "false") : v.ToJsonString());
                break;
        }
    }

    private static JsonObject Unflatten(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var root = new JsonObject();
        foreach (var (key, value) in entries)
        {
            JsonNode container = root;
            var tokens = Tokens(key);
            for (var i = 0; i < tokens.Count; i++)
            {
                var last = i == tokens.Count - 1;
                var (name, index) = tokens[i];
                JsonNode? next = last ? JsonValue.Create(value) : tokens[i + 1].Index is null ? new JsonObject() : new JsonArray();
                if (container is JsonObject obj)
                {
                    if (name is null) throw new SopsException("has malformed flattened sops metadata");
                    if (last) obj[name] = next;
                    else obj[name] ??= next;
                    container = obj[name]!;
                }
                else if (container is JsonArray array && index is { } n)
                {
                    while (array.Count <= n) array.Add(null);
                    if (last) array[n] = next;
                    else array[n] ??= next;
                    container = array[n]!;
                }
                else throw new SopsException("has malformed flattened sops metadata");
            }
        }
        return root;
    }

    /// <summary><c>age__list_0__map_enc</c> → age, [0], enc.</summary>
    private static List<(string? Name, int? Index)> Tokens(string key)
    {
        var tokens = new List<(string?, int?)>();
        var rest = key;
        var first = true;
        while (true)
        {
            var map = rest.IndexOf(MapSeparator, StringComparison.Ordinal);
            var list = rest.IndexOf(ListSeparator, StringComparison.Ordinal);
            var cut = new[] { map, list }.Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            var head = cut < 0 ? rest : rest[..cut];
            if (first) tokens.Add((head, null));
            first = false;
            if (cut < 0) break;
            var isList = cut == list;
            rest = rest[(cut + (isList ? ListSeparator.Length : MapSeparator.Length))..];
            var nextCut = new[] { rest.IndexOf(MapSeparator, StringComparison.Ordinal), rest.IndexOf(ListSeparator, StringComparison.Ordinal) }.Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            var token = nextCut < 0 ? rest : rest[..nextCut];
            if (isList) tokens.Add((null, int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 1000 ? n : throw new SopsException("has malformed flattened sops metadata")));
            else tokens.Add((token, null));
            if (nextCut < 0) break;
            rest = rest[nextCut..];
        }
        return tokens;
    }
}
