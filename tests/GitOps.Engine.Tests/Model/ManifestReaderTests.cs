using System.Text.Json;
using GitOps.Engine.Model;

namespace GitOps.Engine.Tests.Model;

public class ManifestReaderTests
{
    public static TheoryData<string, string, string[]> Read_TestData() => new()
    {
        {
            "two documents and an empty one",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n---\n---\n# only a comment\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
            ["ConfigMap/ns/a", "Deployment/web"]
        },
        {
            "List expanded",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s, namespace: ns1}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c, namespace: ns1}\n",
            ["Service/ns1/s", "ConfigMap/ns1/c"]
        },
        {
            "ConfigMapList expanded",
            "apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n",
            ["ConfigMap/c"]
        },
        {
            "JSON object",
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}",
            ["Namespace/shop"]
        },
        {
            "JSON array",
            "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}},{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}}]",
            ["Namespace/a", "Namespace/b"]
        },
        { "empty text", "", [] },
        { "document start only", "---\n", [] },
    };

    [Theory]
    [MemberData(nameof(Read_TestData))]
    public void Read_ValidText_ReturnsKeysInOrder(string caseName, string text, string[] expectedKeys)
    {
        var manifests = ManifestReader.Read(text, "in.yaml");

        Assert.True(expectedKeys.SequenceEqual(manifests.Select(m => m.Key.ToString())), $"{caseName}: got {string.Join(", ", manifests)}");
    }

    public static TheoryData<string, string, int, string> Broken_TestData() => new()
    {
        { "bad indentation", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   bad: x\n", 5, "" },
        { "unclosed flow map", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n", 4, "" },
        { "scalar document", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\njust text\n", 5, "must be an object" },
        { "list document", "- a\n- b\n", 1, "must be an object" },
        { "missing kind", "apiVersion: v1\nmetadata: {name: a}\n", 1, "missing kind" },
        { "missing name", "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", 2, "missing metadata.name" },
        { "missing apiVersion in List item", "apiVersion: v1\nkind: List\nitems:\n- {kind: ConfigMap, metadata: {name: c}}\n", 1, "missing apiVersion" },
        { "duplicate key", "apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n", 3, "duplicate key" },
        { "broken JSON", "{\"apiVersion\": \"v1\",\n\"kind\": }", 2, "" },
        { "unclosed flow sequence then a bad key", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [unclosed\n key: : value\n", 6, "" },
        { "undefined alias", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  b: *nowhere\n", 5, "anchor" },
    };

    /// <summary>Input on which YamlDotNet throws something else than a YamlException: still one clear error, no stack trace.</summary>
    public static TheoryData<string, string, string> Unlocated_TestData() => new()
    {
        { "merge key to an unknown anchor", "<<: *a\n", "apps/web.yaml: is not valid YAML" },
        { "merge key to an unknown anchor in an object", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: *meta\n  name: a\n", "apps/web.yaml: is not valid YAML" },
        { "duplicate key in JSON", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"}}", "apps/web.yaml: duplicate key" },
    };

    [Theory]
    [MemberData(nameof(Unlocated_TestData))]
    public void Read_InputYamlDotNetFailsOddlyOn_ManifestException(string caseName, string text, string messageStart)
    {
        var e = Assert.Throws<ManifestException>(() => ManifestReader.Read(text, "apps/web.yaml"));

        Assert.True(e.Message.StartsWith(messageStart, StringComparison.Ordinal), $"{caseName}: {e.Message}");
    }

    [Theory]
    [MemberData(nameof(Broken_TestData))]
    public void Read_BrokenText_ThrowsWithLine(string caseName, string text, int line, string messagePart)
    {
        var e = Assert.Throws<ManifestException>(() => ManifestReader.Read(text, "apps/web.yaml"));

        Assert.True(e.Line == line, $"{caseName}: line {e.Line}, expected {line}: {e.Message}");
        Assert.Equal("apps/web.yaml", e.SourceName);
        Assert.StartsWith($"apps/web.yaml:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(messagePart, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string, string> Scalar_TestData() => new()
    {
        { "plain true", "true", "true" },
        { "plain yes is bool (YAML 1.1)", "yes", "true" },
        { "plain On is bool", "On", "true" },
        { "plain no is bool", "no", "false" },
        { "plain n is bool (go-yaml v2)", "n", "false" },
        { "plain off is bool", "off", "false" },
        { "quoted yes stays string", "\"yes\"", "\"yes\"" },
        { "single quoted true stays string", "'true'", "\"true\"" },
        { "int", "42", "42" },
        { "negative int", "-7", "-7" },
        { "octal 0644 (file modes)", "0644", "420" },
        { "hex", "0x1F", "31" },
        { "float", "1.5", "1.5" },
        { "exponent", "1e3", "1000" },
        { "int beyond int64 is a number", "18446744073709551615", "18446744073709551615" },
        { "huge int is a number", "123456789012345678901234567890", "1.2345678901234568E+29" },
        { "null word", "null", "null" },
        { "tilde", "~", "null" },
        { "empty value", "", "null" },
        { "quoted number stays string", "\"8080\"", "\"8080\"" },
        { "version-like string", "1.2.3", "\"1.2.3\"" },
        { "timestamp stays string", "2026-01-01T00:00:00Z", "\"2026-01-01T00:00:00Z\"" },
        { "!!str tag", "!!str 123", "\"123\"" },
        { "quantity stays string", "500m", "\"500m\"" },
    };

    [Theory]
    [MemberData(nameof(Scalar_TestData))]
    public void Read_Scalar_ConvertsLikeSigsYaml(string caseName, string yamlValue, string expectedJson)
    {
        var m = ManifestReader.Read($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\nvalue: {yamlValue}\n", "s.yaml").Single();

        var actual = m.ToJson()["value"]?.ToJsonString() ?? "null";
        Assert.True(Normalize(expectedJson) == Normalize(actual), $"{caseName}: got {actual}, expected {expectedJson}");
    }

    public static TheoryData<string, string, string> Key_TestData() => new()
    {
        { "plain on key becomes true", "on", "true" },
        { "quoted on key stays", "\"on\"", "on" },
        { "int key", "0x10", "16" },
        { "ordinary key", "app", "app" },
    };

    [Theory]
    [MemberData(nameof(Key_TestData))]
    public void Read_MappingKey_SpelledLikeSigsYaml(string caseName, string yamlKey, string expectedKey)
    {
        var m = ManifestReader.Read($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\ndata:\n  {yamlKey}: x\n", "k.yaml").Single();

        Assert.True(m.ToJson()["data"]!.AsObject().ContainsKey(expectedKey), $"{caseName}: {m.ToJson()["data"]!.ToJsonString()}");
    }

    [Fact]
    public void Read_MergeKey_MergesAnchor()
    {
        var m = ManifestReader.Read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbase: &b {x: 1}\ndata:\n  <<: *b\n  z: 2\n", "m.yaml").Single();

        Assert.Equal("{\"x\":1,\"z\":2}", m.ToJson()["data"]!.ToJsonString());
    }

    private static string Normalize(string json) =>
        double.TryParse(json, System.Globalization.CultureInfo.InvariantCulture, out var d) && !json.StartsWith('"') ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : JsonDocument.Parse(json).RootElement.GetRawText();
}
