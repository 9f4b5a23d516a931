using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;

namespace GitOps.Sandbox.Tests.Decoding;

/// <summary>A JSON body read without the YAML parser gives the tree the YAML parser gives ("--- " in front makes the YAML parser read it).</summary>
public sealed class JsonAsYamlTests
{
    public static TheoryData<string, string> Json_TestData() => new()
    {
        { "integers", """{"a": 1, "b": -5, "c": 0, "d": -0, "e": 9223372036854775807}""" },
        { "an integer past long becomes a float", """{"a": 92233720368547758070}""" },
        { "floats", """{"a": 1.5, "b": 1e3, "c": 1E-2, "d": -0.5, "e": 2.0, "f": 1e+3}""" },
        { "quoted scalars stay strings", """{"a": "yes", "b": "null", "c": "1", "d": "on", "e": "~", "f": ""}""" },
        { "escapes", """{"a": "line\nnext\ttab \"q\" back\\slash \/ \u00e9 \ud83d\ude00"}""" },
        { "raw unicode", """{"name": "caf\u00e9", "emoji": "😀", "cjk": "名前"}""" },
        { "literals", """{"t": true, "f": false, "n": null}""" },
        { "nesting", """{"spec": {"template": {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}], "args": []}]}}}, "e": {}}""" },
        { "a top-level array", """[1, "two", {"three": 3}, [], null]""" },
        { "keys that look like other things", """{"true": 1, "1": 2, "null": 3, "": 4, "a b": 5}""" },
        { "leading white space", "  \n\t{\"kind\": \"ConfigMap\"}\n" },
    };

    [Theory]
    [MemberData(nameof(Json_TestData))]
    public void Parse_JsonBody_SameTreeAsTheYamlParser(string caseName, string json)
    {
        _ = caseName;
        Assert.True(JsonAsYaml.TryRead(json, out _));
        Assert.Equal(Typed(YamlJson.Parse("--- " + json.TrimStart())), Typed(YamlJson.Parse(json)));
        Assert.Empty(YamlJson.Duplicates(json));
    }

    public static TheoryData<string, string, string> NotJson_TestData() => new()
    {
        { "flow YAML, not JSON", "{a: 1, b: [x, y]}", """{"a":1,"b":["x","y"]}""" },
        { "a comment after it", "{\"a\": 1} # note", """{"a":1}""" },
        { "a second document", "{\"a\": 1}\n---\n{\"b\": 2}\n", """{"a":1}""" },
        { "a duplicated key (the YAML parser reports its line)", "{\"a\": 1, \"a\": 2}", """{"a":2}""" },
        { "block YAML", "a: 1\nb: x\n", """{"a":1,"b":"x"}""" },
        { "a trailing comma", "{\"a\": [1, 2,]}", """{"a":[1,2]}""" },
    };

    [Theory]
    [MemberData(nameof(NotJson_TestData))]
    public void Parse_NotStrictJson_TheYamlParserReadsIt(string caseName, string body, string expected)
    {
        _ = caseName;
        Assert.False(JsonAsYaml.TryRead(body, out _));
        Assert.Equal(expected, YamlJson.Parse(body)!.ToJsonString());
    }

    [Fact]
    public void Duplicates_JsonBodyWithARepeatedKey_StillReportedWithItsLine()
    {
        Assert.Equal(["line 3: key \"a\" already set in map"], YamlJson.Duplicates("{\n  \"a\": 1,\n  \"a\": 2\n}"));
    }

    /// <summary>The tree with each scalar's CLR type, so that 1 (long) and 1.0 (double) differ.</summary>
    private static string Typed(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node);
        return sb.ToString();

        void Write(JsonNode? n)
        {
            switch (n)
            {
                case null: sb.Append("null"); break;
                case JsonObject o:
                    sb.Append('{');
                    foreach (var (k, v) in o) { sb.Append(JsonSerializer.Serialize(k)).Append(':'); Write(v); sb.Append(','); }
                    sb.Append('}');
                    break;
                case JsonArray a:
                    sb.Append('[');
                    foreach (var v in a) { Write(v); sb.Append(','); }
                    sb.Append(']');
                    break;
                case JsonValue v:
                    sb.Append(v.GetValueKind()).Append(v.TryGetValue<long>(out _) ? ":long:" : v.TryGetValue<double>(out _) ? ":double:" : ":").Append(v.ToJsonString());
                    break;
            }
        }
    }
}
