using System.Text.Json.Nodes;
using GitOps.Sandbox.FieldManagement;
using GitOps.Sandbox.Schema;
using Xunit;

namespace GitOps.Sandbox.Tests.FieldManagement;

public sealed class OwnershipTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static SchemaNode ConfigMap => BuiltinSchemas.Shared.Find("", "v1", "ConfigMap")!;
    private static SchemaNode Deployment => BuiltinSchemas.Shared.Find("apps", "v1", "Deployment")!;

    private static JsonObject Cm(string data) =>
        JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"n"},"data":""" + data + "}")!.AsObject();

    private static JsonObject Deploy(string containers) => JsonNode.Parse(
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"n"},"spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":"""
        + containers + "}}}}")!.AsObject();

    private static string Owners(JsonObject obj) =>
        string.Join(" | ", (ManagedFieldsCodec.Read(obj) ?? []).Select(e => $"{e.Manager}:{e.Operation}={FieldsV1.Write(e.Fields).ToJsonString(FieldsV1.SerializerOptions)}"));

    private static JsonObject MustApply(JsonObject? live, JsonObject applied, string manager, SchemaNode schema, bool force = false)
    {
        var outcome = FieldManager.Apply(live, applied, manager, force, schema, T0);
        Assert.False(outcome.HasConflicts, outcome.ConflictMessage);
        return outcome.Result!;
    }

    /// <summary>Each case: alpha applies, beta applies, expected data and owners afterwards.</summary>
    public static TheoryData<string, string, string, bool, string, string> TwoManagers_TestData() => new()
    {
        { "disjoint fields", """{"x":"1"}""", """{"y":"2"}""", false, """{"x":"1","y":"2"}""",
            """alpha:Apply={"f:data":{"f:x":{}}} | beta:Apply={"f:data":{"f:y":{}}}""" },
        // The object does not change, so beta's new entry gets no time and sorts first (time 0).
        { "same value is shared", """{"x":"1"}""", """{"x":"1"}""", false, """{"x":"1"}""",
            """beta:Apply={"f:data":{"f:x":{}}} | alpha:Apply={"f:data":{"f:x":{}}}""" },
        { "force takes ownership", """{"x":"1","y":"1"}""", """{"x":"2"}""", true, """{"x":"2","y":"1"}""",
            """alpha:Apply={"f:data":{"f:y":{}}} | beta:Apply={"f:data":{"f:x":{}}}""" },
    };

    [Theory]
    [MemberData(nameof(TwoManagers_TestData))]
    public void Apply_TwoManagers_SplitsOwnership(string caseName, string alpha, string beta, bool force, string expectedData, string expectedOwners)
    {
        var live = MustApply(null, Cm(alpha), "alpha", ConfigMap);
        var result = MustApply(live, Cm(beta), "beta", ConfigMap, force);

        Assert.True(expectedData == result["data"]!.ToJsonString(), caseName);
        Assert.Equal(expectedOwners, Owners(result));
    }

    public static TheoryData<string, string, string, string> Conflict_TestData() => new()
    {
        { "one field", """{"x":"1"}""", """{"x":"2"}""", "Apply failed with 1 conflict: conflict with \"alpha\": .data.x" },
        { "two fields", """{"x":"1","y":"1"}""", """{"x":"2","y":"2"}""",
            "Apply failed with 2 conflicts: conflicts with \"alpha\":\n- .data.x\n- .data.y" },
    };

    [Theory]
    [MemberData(nameof(Conflict_TestData))]
    public void Apply_DifferentValueOwnedByOther_Conflicts(string caseName, string alpha, string beta, string expectedMessage)
    {
        var live = MustApply(null, Cm(alpha), "alpha", ConfigMap);

        var outcome = FieldManager.Apply(live, Cm(beta), "beta", force: false, ConfigMap, T0);

        Assert.Null(outcome.Result);
        Assert.True(expectedMessage == outcome.ConflictMessage, caseName + ": " + outcome.ConflictMessage);
        Assert.All(outcome.Causes(), c => Assert.Equal("FieldManagerConflict", c!["reason"]!.GetValue<string>()));
    }

    public static TheoryData<string, bool, string> DroppedField_TestData() => new()
    {
        { "only manager: removed", false, """{"x":"1"}""" },
        { "also set by another manager: kept", true, """{"x":"1","y":"1"}""" },
    };

    [Theory]
    [MemberData(nameof(DroppedField_TestData))]
    public void Apply_FieldDroppedFromConfig_RemovedUnlessOwnedElsewhere(string caseName, bool betaAlsoSetsY, string expectedData)
    {
        var live = MustApply(null, Cm("""{"x":"1","y":"1"}"""), "alpha", ConfigMap);
        if (betaAlsoSetsY) live = MustApply(live, Cm("""{"y":"1"}"""), "beta", ConfigMap);

        var result = MustApply(live, Cm("""{"x":"1"}"""), "alpha", ConfigMap);

        Assert.True(expectedData == result["data"]!.ToJsonString(), caseName);
        Assert.DoesNotContain("f:y", FieldsV1.Write(ManagedFieldsCodec.Read(result)!.Single(e => e.Manager == "alpha").Fields).ToJsonString());
    }

    public static TheoryData<string, string, string, string> ListMerge_TestData() => new()
    {
        { "containers merged by name",
            """[{"name":"a","image":"x"}]""", """[{"name":"b","image":"y"}]""",
            """[{"name":"a","image":"x"},{"name":"b","image":"y"}]""" },
        { "env merged by name inside a shared container",
            """[{"name":"a","image":"x","env":[{"name":"A","value":"1"}]}]""", """[{"name":"a","image":"x","env":[{"name":"B","value":"2"}]}]""",
            """[{"name":"a","image":"x","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]""" },
        { "ports merged by containerPort and defaulted protocol",
            """[{"name":"a","image":"x","ports":[{"containerPort":80}]}]""", """[{"name":"a","image":"x","ports":[{"containerPort":81}]}]""",
            """[{"name":"a","image":"x","ports":[{"containerPort":80},{"containerPort":81}]}]""" },
        { "atomic command list replaced",
            """[{"name":"a","image":"x","command":["a","b"]}]""", """[{"name":"a","image":"x","command":["c"]}]""",
            """[{"name":"a","image":"x","command":["c"]}]""" },
    };

    [Theory]
    [MemberData(nameof(ListMerge_TestData))]
    public void Apply_ListsByMergeSemantics_MergesOrReplaces(string caseName, string alpha, string beta, string expected)
    {
        var live = MustApply(null, Deploy(alpha), "alpha", Deployment);

        var result = MustApply(live, Deploy(beta), "beta", Deployment, force: true);

        Assert.True(expected == result["spec"]!["template"]!["spec"]!["containers"]!.ToJsonString(), caseName);
    }

    /// <summary>
    /// kube-apiserver's order (sortEncodedManagedFields): by time in whole seconds before the manager's
    /// name, so alpha's changing re-apply after beta's apply moves it behind beta only once a second
    /// boundary lies between them.
    /// </summary>
    [Theory]
    [InlineData(999, "alpha,beta")]
    [InlineData(1000, "beta,alpha")]
    public void Apply_ChangingReapplyAfterOtherManager_ListsByTimeInSecondsThenName(int reapplyAfterMs, string expected)
    {
        var live = FieldManager.Apply(null, Cm("""{"x":"1"}"""), "alpha", false, ConfigMap, T0).Result!;
        live = FieldManager.Apply(live, Cm("""{"y":"1"}"""), "beta", false, ConfigMap, T0.AddMilliseconds(500)).Result!;

        var result = FieldManager.Apply(live, Cm("""{"x":"2"}"""), "alpha", false, ConfigMap, T0.AddMilliseconds(reapplyAfterMs)).Result!;

        Assert.Equal(expected, string.Join(",", ManagedFieldsCodec.Read(result)!.Select(e => e.Manager)));
        Assert.Equal(T0.AddMilliseconds(reapplyAfterMs - reapplyAfterMs % 1000), ManagedFieldsCodec.Read(result)!.Single(e => e.Manager == "alpha").Time);
    }

    [Fact]
    public void Apply_IdenticalReapply_KeepsTime()
    {
        var live = FieldManager.Apply(null, Cm("""{"x":"1"}"""), "alpha", false, ConfigMap, T0).Result!;

        var again = FieldManager.Apply(live, Cm("""{"x":"1"}"""), "alpha", false, ConfigMap, T0.AddHours(1)).Result!;

        Assert.True(JsonNode.DeepEquals(live, again));
    }

    [Fact]
    public void Update_ChangesFieldOwnedByApplier_StealsOwnership()
    {
        var live = MustApply(null, Cm("""{"x":"1","y":"1"}"""), "alpha", ConfigMap);
        var edited = live.DeepClone().AsObject();
        edited["data"]!["x"] = "2";

        var result = FieldManager.Update(live, edited, "kubectl-edit", T0, ConfigMap);

        Assert.Equal("""alpha:Apply={"f:data":{"f:y":{}}} | kubectl-edit:Update={"f:data":{"f:x":{}}}""", Owners(result));
        Assert.Equal("2026-01-01T00:00:00Z", result["metadata"]!["managedFields"]![1]!["time"]!.GetValue<string>());
    }

    [Fact]
    public void Update_RemovesField_DropsItFromEverySet()
    {
        var live = MustApply(null, Cm("""{"x":"1","y":"1"}"""), "alpha", ConfigMap);
        var edited = live.DeepClone().AsObject();
        edited["data"]!.AsObject().Remove("y");

        var result = FieldManager.Update(live, edited, "kubectl-edit", T0, ConfigMap);

        Assert.Equal("""alpha:Apply={"f:data":{"f:x":{}}}""", Owners(result));
    }

    [Fact]
    public void Apply_ConflictWithUpdater_DescribesManagerLikeApiserver()
    {
        var live = FieldManager.Update(null, Cm("""{"x":"1"}"""), "creator", T0, ConfigMap);

        var outcome = FieldManager.Apply(live, Cm("""{"x":"2"}"""), "alpha", false, ConfigMap, T0);

        Assert.Equal("Apply failed with 1 conflict: conflict with \"creator\" using v1: .data.x", outcome.ConflictMessage);
    }
}
