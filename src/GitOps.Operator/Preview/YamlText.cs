using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Operator.Preview;

/// <summary>
/// An object as YAML, the well-known keys first (apiVersion, kind, metadata, spec, data), as kubectl prints it.
/// Written through YamlDotNet's emitter (no reflection): block style, strings quoted only where YAML would
/// read them as something else (null, a boolean, a number, as go-yaml v2 reads YAML 1.1: kubectl's <c>off</c>) or lose
/// their edges (empty, leading or trailing whitespace).
/// </summary>
public static partial class YamlText
{
    public static string Of(JsonNode? node, bool sortKeys = false)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Write(emitter, node, sortKeys);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static readonly string[] FirstKeys = ["apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "spec", "data", "stringData"];

    private static int KeyRank(string key) => Array.IndexOf(FirstKeys, key) is var i and >= 0 ? i : FirstKeys.Length;

    private static void Write(IEmitter emitter, JsonNode? node, bool sortKeys)
    {
        switch (node)
        {
            case JsonObject o:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Any));
                foreach (var (key, value) in sortKeys ? o.OrderBy(p => KeyRank(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal) : o.AsEnumerable())
                {
                    String(emitter, key);
                    Write(emitter, value, sortKeys);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray a:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Any));
                foreach (var item in a) Write(emitter, item, sortKeys);
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                String(emitter, v.GetValue<string>());
                break;
            case JsonValue v:
                Plain(emitter, v.GetValueKind() switch
                {
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => Yaml11Number(v.ToJsonString()),
                });
                break;
            default:
                Plain(emitter, "null");
                break;
        }
    }

    private static void String(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(null, null, value, NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, isPlainImplicit: true, isQuotedImplicit: true));

    private static void Plain(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(null, null, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    /// <summary>A JSON number as YAML 1.1 reads a number: an exponent needs a dot before it and a sign (1e20 would be a string).</summary>
    private static string Yaml11Number(string json)
    {
        var e = json.IndexOfAny(['e', 'E']);
        if (e < 0) return json;
        var mantissa = json[..e].Contains('.') ? json[..e] : json[..e] + ".0";
        var exponent = json[(e + 1)..];
        return $"{mantissa}e{(exponent[0] is '+' or '-' ? exponent : "+" + exponent)}";
    }

    private static bool NeedsQuotes(string value) =>
        value.Length == 0 || value[0] is ' ' or '\t' || value[^1] is ' ' or '\t' || ReadsAsNonString().IsMatch(value);

    /// <summary>Plain scalars YAML 1.2 (and 1.1's booleans) resolve to null, a boolean or a number.</summary>
    [GeneratedRegex(@"^(null|Null|NULL|~|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex ReadsAsNonString();
}
