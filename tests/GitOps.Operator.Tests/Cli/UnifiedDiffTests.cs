using System.Text.Json.Nodes;
using GitOps.Operator.Cli;
using GitOps.Operator.Preview;

namespace GitOps.Operator.Tests.Cli;

public sealed class UnifiedDiffTests
{
    public static TheoryData<string, string, string, string> Of_TestData => new()
    {
        { "equal", "a\nb\n", "a\nb\n", "" },
        { "one line changed", "a\nb\nc\n", "a\nX\nc\n", "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+X\n c\n" },
        { "created", "", "a\nb\n", "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n" },
        { "deleted", "a\n", "", "--- old\n+++ new\n@@ -1,1 +0,0 @@\n-a\n" },
    };

    [Theory]
    [MemberData(nameof(Of_TestData))]
    public void Of_TwoTexts_UnifiedHunks(string caseName, string before, string after, string expected)
    {
        Assert.True(expected == UnifiedDiff.Of(before, after, "old", "new"), caseName);
    }

    [Fact]
    public void Of_FarApartChanges_TwoHunks()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"l{i}"));
        var after = before.Replace("l2\n", "X\n", StringComparison.Ordinal).Replace("l19", "Y", StringComparison.Ordinal);

        var diff = UnifiedDiff.Of(before, after, "old", "new");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
    }

    [Fact]
    public void MaskSecrets_ChangedAndUnchangedValues_MaskedDifferently()
    {
        var before = JsonNode.Parse("""{"kind":"Secret","data":{"same":"c2FtZQ==","changed":"b2xk"}}""")!.AsObject();
        var after = JsonNode.Parse("""{"kind":"Secret","data":{"same":"c2FtZQ==","changed":"bmV3","added":"eA=="}}""")!.AsObject();

        DiffCommand.MaskSecrets(before, after);

        Assert.Equal(DiffCommand.Mask, (string?)before["data"]!["changed"]);
        Assert.Equal(DiffCommand.Mask + " (changed)", (string?)after["data"]!["changed"]);
        Assert.Equal(DiffCommand.Mask, (string?)after["data"]!["same"]);
        Assert.Equal(DiffCommand.Mask, (string?)after["data"]!["added"]);
        Assert.DoesNotContain("bmV3", after.ToJsonString());
    }
}
