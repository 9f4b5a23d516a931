using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Preview;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Previews;

public sealed class YamlTextTests
{
    private const string Tricky = """
        {"empty":"","nothing":null,"list":[],"map":{},"bool":"true","int":"123","float":"1.5","exp":"1e3","hex":"0x1F",
         "yes":"yes","off":"off","y":"Y","null":"null","tilde":"~","lines":"one\ntwo\n","lead":" x","trail":"x\t","colon":"a: b",
         "dash":"- x","hash":"#x","quote":"it's","dq":"say \"hi\"","star":"*x","amp":"&x","bang":"!x","flow":"{x}","date":"2026-12-06",
         "number":1.5,"negative":-3,"truth":true,"big":1e20,"mixed":[1,"2",null,{"x":[]}],"unicode":"ünï"}
        """;

    [Fact]
    public void Of_StringsThatWouldReadAsSomethingElse_AreQuoted()
    {
        var yaml = YamlText.Of(JsonNode.Parse(Tricky));
        foreach (var line in new[] { "empty: \"\"", "bool: \"true\"", "int: \"123\"", "float: \"1.5\"", "exp: \"1e3\"", "hex: \"0x1F\"", "\"yes\": \"yes\"",
            "\"off\": \"off\"", "\"y\": \"Y\"", "\"null\": \"null\"", "tilde: \"~\"", "lead: \" x\"", "trail: \"x\t\"", "nothing: null", "list: []", "map: {}",
            "number: 1.5", "negative: -3", "truth: true", "big: 1.0e+20", "unicode: ünï", "date: 2026-12-06" })
            Assert.Contains("\n" + line + "\n", "\n" + yaml);
    }

    [Fact]
    public void Of_ReadBackAsKubectlReadsYaml_GivesTheSameObject()
    {
        var objects = new List<JsonNode> { JsonNode.Parse(Tricky)! };
        foreach (var f in Directory.EnumerateFiles(Path.Combine(ToolPaths.RepoRoot, "examples"), "*.yaml", SearchOption.AllDirectories))
        {
            try { objects.AddRange(ManifestReader.Read(File.ReadAllText(f), f).Select(m => (JsonNode)m.ToJson())); }
            catch (ManifestException) { } // chart templates are not YAML until rendered
        }
        Assert.True(objects.Count > 10);
        foreach (var o in objects)
            foreach (var sorted in new[] { false, true })
            {
                var back = YamlJson.Parse(YamlText.Of(o, sorted), "yaml text");
                Assert.True(JsonNode.DeepEquals(o, back), $"{o.ToJsonString()}\n=>\n{YamlText.Of(o, sorted)}\n=>\n{back?.ToJsonString()}");
            }
    }

    [Fact]
    public void Of_SortKeys_PutsTheWellKnownKeysFirst()
    {
        var yaml = YamlText.Of(JsonNode.Parse("""{"spec":{"b":1,"a":2},"zeta":1,"metadata":{"name":"x"},"kind":"ConfigMap","apiVersion":"v1"}"""), sortKeys: true);
        Assert.Equal("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  a: 2\n  b: 1\nzeta: 1\n", yaml);
    }
}
