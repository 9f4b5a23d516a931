using System.Text.Json.Nodes;
using GitOps.Engine.Diff;

namespace GitOps.Engine.Tests.Diff;

public class IgnoredFieldsTests
{
    private const string Desired = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app"},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"web:2"}]}}}}""";

    private static readonly IgnoreDifference Replicas = new("apps", "Deployment", JsonPointers: ["/spec/replicas"]);

    public static TheoryData<string, string?, IgnoreDifference[], string> Respect_TestData() => new()
    {
        { "no live object: created as Git says", null, [Replicas], Desired },
        { "no rule: unchanged", """{"spec":{"replicas":7}}""", [], Desired },
        { "live value kept (an HPA scaled it)", """{"spec":{"replicas":7}}""", [Replicas],
            Desired.Replace("\"replicas\":2", "\"replicas\":7", StringComparison.Ordinal) },
        { "absent live: left out", """{"spec":{}}""", [Replicas], Desired.Replace("\"replicas\":2,", "", StringComparison.Ordinal) },
        { "rule for another kind", """{"spec":{"replicas":7}}""", [new("apps", "StatefulSet", JsonPointers: ["/spec/replicas"])], Desired },
        { "rule for another name", """{"spec":{"replicas":7}}""", [Replicas with { Name = "api" }], Desired },
        { "nested pointer created on the way", """{"metadata":{"annotations":{"team":"b"}}}""", [new("*", "*", JsonPointers: ["/metadata/annotations/team"])],
            Desired.Replace("\"namespace\":\"app\"}", "\"namespace\":\"app\",\"annotations\":{\"team\":\"b\"}}", StringComparison.Ordinal) },
        { "fields of an ignored manager left out", """{"metadata":{"managedFields":[{"manager":"hpa","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},"spec":{"replicas":7}}""",
            [new("apps", "Deployment", ManagedFieldsManagers: ["hpa"])], Desired.Replace("\"replicas\":2,", "", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Respect_TestData))]
    public void Respect_Rules_KeepIgnoredFieldsAsLive(string caseName, string? live, IgnoreDifference[] rules, string expected)
    {
        var desired = JsonNode.Parse(Desired)!.AsObject();

        var result = IgnoredFields.Respect(desired, live is null ? null : JsonNode.Parse(live)!.AsObject(), rules);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"{caseName}: {result.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Desired), desired), $"{caseName}: the input changed");
    }
}
