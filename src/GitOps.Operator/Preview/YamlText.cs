using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace GitOps.Operator.Preview;

/// <summary>An object as YAML, the well-known keys first (apiVersion, kind, metadata, spec, data), as kubectl prints it.</summary>
public static class YamlText
{
    public static string Of(JsonNode? node, bool sortKeys = false) =>
        new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(ToPlain(node, sortKeys));

    private static readonly string[] FirstKeys = ["apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "spec", "data", "stringData"];

    private static int KeyRank(string key) => Array.IndexOf(FirstKeys, key) is var i and >= 0 ? i : FirstKeys.Length;

    private static object? ToPlain(JsonNode? node, bool sortKeys) => node switch
    {
        JsonObject o => (sortKeys ? o.OrderBy(p => KeyRank(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal) : o.AsEnumerable())
            .ToDictionary(p => p.Key, p => ToPlain(p.Value, sortKeys)),
        JsonArray a => a.Select(x => ToPlain(x, sortKeys)).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
