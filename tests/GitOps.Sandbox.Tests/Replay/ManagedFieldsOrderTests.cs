using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Tests.Replay;

public sealed class ManagedFieldsOrderTests
{
    private static JsonObject Entry(string manager, string time, string operation = "Apply", string? subresource = null)
    {
        var e = new JsonObject
        {
            ["manager"] = manager, ["operation"] = operation, ["apiVersion"] = "apps/v1", ["time"] = time,
            ["fieldsType"] = "FieldsV1", ["fieldsV1"] = new JsonObject { ["f:" + manager] = new JsonObject() },
        };
        if (subresource is not null) e["subresource"] = subresource;
        return e;
    }

    private static JsonObject Answer(params JsonObject[] entries) =>
        new() { ["metadata"] = new JsonObject { ["managedFields"] = new JsonArray([.. entries]) } };

    private static string Json(params JsonObject[] entries) => Answer(entries).ToJsonString();

    private static string Managers(JsonNode? answer) =>
        string.Join(",", answer!["metadata"]!["managedFields"]!.AsArray().Select(e => $"{e!["manager"]}{(e["subresource"] is { } sub ? "/" + sub : "")}"));

    private const string Tie = "2026-11-26T07:54:52Z";
    private const string Later = "2026-11-26T07:54:53Z";

    public static TheoryData<string, string, string, string> Order_TestData() => new()
    {
        // The replay's times tie as the recording's did: the recorded order stands.
        { "one second", Json(Entry("alpha", Tie), Entry("beta", Tie)), Json(Entry("alpha", Tie), Entry("beta", Tie)), "alpha,beta" },
        // alpha's re-apply a second after beta's apply: by time first, as kube-apiserver sorts.
        { "alpha a second later", Json(Entry("alpha", Tie), Entry("beta", Tie)), Json(Entry("beta", Tie), Entry("alpha", Later)), "beta,alpha" },
        // A served list in the wrong order does not move the recorded one: the comparison still fails.
        { "served out of order", Json(Entry("alpha", Tie), Entry("beta", Tie)), Json(Entry("alpha", Later), Entry("beta", Tie)), "beta,alpha" },
        // Apply before Update whatever the times.
        { "operation first", Json(Entry("z", Tie), Entry("a", Tie, "Update")), Json(Entry("a", Tie, "Update"), Entry("z", Later)), "z,a" },
        // Same name through another subresource is another manager; its own time decides.
        { "subresource", Json(Entry("m", Tie, "Update"), Entry("m", Tie, "Update", "status")), Json(Entry("m", Later, "Update"), Entry("m", Tie, "Update", "status")), "m/status,m" },
        // Other managers than recorded: left as recorded (the entries themselves differ).
        { "other managers", Json(Entry("alpha", Tie), Entry("beta", Tie)), Json(Entry("gamma", Tie), Entry("alpha", Later)), "alpha,beta" },
    };

    [Theory]
    [MemberData(nameof(Order_TestData))]
    public void AtTimesOf_RecordedEntries_InKubeApiserverOrderAtServedTimes(string caseName, string recorded, string served, string expected)
    {
        var result = ManagedFieldsOrder.AtTimesOf(JsonNode.Parse(recorded), JsonNode.Parse(served));

        Assert.True(expected == Managers(result), $"{caseName}: {Managers(result)}");
    }

    [Fact]
    public void AtTimesOf_ServedOutOfOrder_StillDiffers()
    {
        var recorded = Answer(Entry("alpha", Tie), Entry("beta", Tie));
        var served = Answer(Entry("alpha", Later), Entry("beta", Tie));

        var diffs = Admission.ReferenceFiles.Diff(ManagedFieldsOrder.AtTimesOf(recorded, served), served);

        Assert.Contains(diffs, d => d.Contains("managedFields/0/manager", StringComparison.Ordinal));
    }

    [Fact]
    public void AtTimesOf_ListItems_OrderedEachAgainstItsServedItem()
    {
        var recorded = new JsonObject { ["items"] = new JsonArray(Answer(Entry("alpha", Tie), Entry("beta", Tie)), Answer(Entry("alpha", Tie), Entry("beta", Tie))) };
        var served = new JsonObject { ["items"] = new JsonArray(Answer(Entry("alpha", Tie), Entry("beta", Tie)), Answer(Entry("beta", Tie), Entry("alpha", Later))) };

        var result = ManagedFieldsOrder.AtTimesOf(recorded, served)!;

        Assert.Equal("alpha,beta|beta,alpha", Managers(result["items"]![0]) + "|" + Managers(result["items"]![1]));
        Assert.Equal("alpha,beta", Managers(recorded["items"]![1]));
    }
}
