using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;

namespace GitOps.Engine.Tests.Diff;

public class PairingTests
{
    private static Manifest Cm(string name) => TestJson.Man($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: ns}}");

    private static JsonObject LiveCm(string name) => Cm(name).ToJson();

    public static TheoryData<string, string[], string[], string[]> Pair_TestData() => new()
    {
        { "both sides", ["a"], ["a"], ["ConfigMap/ns/a desired=yes live=yes"] },
        { "desired only", ["a"], [], ["ConfigMap/ns/a desired=yes live=no"] },
        { "live only is a prune candidate", [], ["b"], ["ConfigMap/ns/b desired=no live=yes"] },
        { "mixed, key order", ["c", "a"], ["b", "a"], ["ConfigMap/ns/a desired=yes live=yes", "ConfigMap/ns/b desired=no live=yes", "ConfigMap/ns/c desired=yes live=no"] },
    };

    [Theory]
    [MemberData(nameof(Pair_TestData))]
    public void Pair_DesiredAndLive_MatchedByKey(string caseName, string[] desired, string[] live, string[] expected)
    {
        var result = Pairing.Pair(desired.Select(Cm), live.Select(LiveCm));

        Assert.True(expected.SequenceEqual(result.Pairs.Select(p => p.ToString())), $"{caseName}: {result}");
    }

    [Fact]
    public void Pair_DuplicateDesired_Reported()
    {
        var result = Pairing.Pair([Cm("a"), Cm("a")], []);

        Assert.Single(result.Pairs);
        Assert.Equal([new ResourceKey("", "ConfigMap", "ns", "a")], result.DuplicateDesired);
    }
}
