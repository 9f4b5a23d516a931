using Xunit;
using System.Text.Json.Nodes;
using GitOps.Sandbox.FieldManagement;

namespace GitOps.Sandbox.Tests.FieldManagement;

public sealed class FieldsV1Tests
{
    public static TheoryData<string, string> RecordedFieldsV1_TestData()
    {
        var data = new TheoryData<string, string>();
        var seen = new HashSet<string>();
        foreach (var folder in new[] { "scenarios", "defaults" })
            foreach (var file in RecordedData.Files(folder))
            {
                if (RecordedData.Load(Path.Combine(folder, file))["steps"] is not JsonArray steps) continue;
                for (var i = 0; i < steps.Count; i++)
                {
                    if (steps[i]?["response"]?["body"] is not JsonObject { } body || body["metadata"]?["managedFields"] is not JsonArray entries) continue;
                    foreach (var entry in entries)
                    {
                        var json = entry!["fieldsV1"]!.ToJsonString(FieldsV1.SerializerOptions);
                        if (seen.Add(json)) data.Add($"{folder}/{file}#{i}/{entry["manager"]}", json);
                    }
                }
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(RecordedFieldsV1_TestData))]
    public void ReadThenWrite_RecordedFieldsV1_ReproducesBytesAndKeyOrder(string caseName, string fieldsV1)
    {
        var set = FieldsV1.Read(JsonNode.Parse(fieldsV1)!.AsObject());

        Assert.True(fieldsV1 == FieldsV1.Write(set).ToJsonString(FieldsV1.SerializerOptions), caseName);
    }

    public static TheoryData<string, string[], string> RenderedPath_TestData() => new()
    {
        { "field", ["f:data", "f:x"], ".data.x" },
        { "list-map key", ["f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"], ".spec.containers[name=\"web\"].image" },
        { "two keys", ["f:ports", "k:{\"containerPort\":80,\"protocol\":\"TCP\"}"], ".ports[containerPort=80,protocol=\"TCP\"]" },
        { "set value", ["f:metadata", "f:finalizers", "v:\"a\""], ".metadata.finalizers[=\"a\"]" },
    };

    [Theory]
    [MemberData(nameof(RenderedPath_TestData))]
    public void ToString_Path_RendersLikeApiserver(string caseName, string[] tokens, string expected)
    {
        Assert.True(expected == FieldPath.Parse(tokens).ToString(), caseName);
    }

    [Fact]
    public void Write_MemberWithChildren_WritesDotFirst()
    {
        var set = new FieldSet();
        set.Insert(FieldPath.Parse("f:data"));
        set.Insert(FieldPath.Parse("f:data", "f:x"));
        set.Insert(FieldPath.Parse("f:a", "k:{\"port\":443}"));
        set.Insert(FieldPath.Parse("f:a", "k:{\"port\":80}"));

        Assert.Equal("{\"f:a\":{\"k:{\\\"port\\\":80}\":{},\"k:{\\\"port\\\":443}\":{}},\"f:data\":{\".\":{},\"f:x\":{}}}",
            FieldsV1.Write(set).ToJsonString(FieldsV1.SerializerOptions));
    }
}
