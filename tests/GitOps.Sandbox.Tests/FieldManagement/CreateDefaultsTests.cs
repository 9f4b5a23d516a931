using System.Text.Json.Nodes;
using GitOps.Sandbox.FieldManagement;
using GitOps.Sandbox.Schema;
using Xunit;

namespace GitOps.Sandbox.Tests.FieldManagement;

/// <summary>
/// A plain create records an Update entry owning every field after defaulting. The recorded
/// responses also hold fields set later by strategies or admission (never owned); those are
/// removed before replaying the create.
/// </summary>
public sealed class CreateDefaultsTests
{
    public static TheoryData<string, string[]> RecordedCreate_TestData() => new()
    {
        { "ConfigMap", [] },
        { "Deployment", [] },
        { "StatefulSet", [] },
        { "DaemonSet", [] },
        { "ReplicaSet", [] },
        { "CronJob", [] },
        { "Namespace", ["spec"] },
        { "Service-ClusterIP", ["spec.clusterIP", "spec.clusterIPs", "spec.ipFamilies", "spec.ipFamilyPolicy"] },
    };

    [Theory]
    [MemberData(nameof(RecordedCreate_TestData))]
    public void Update_CreateOfDefaultedObject_MatchesRecordedManagedFields(string caseName, string[] notOwned)
    {
        var step = RecordedData.Load($"defaults/{caseName}.json")["steps"]![0]!;
        var recorded = step["response"]!["body"]!.AsObject();
        var created = recorded.DeepClone().AsObject();
        created["metadata"]!.AsObject().Remove("managedFields");
        created.Remove("status");
        foreach (var path in notOwned)
        {
            var parts = path.Split('.');
            var parent = parts[..^1].Aggregate((JsonNode)created, (n, p) => n[p]!);
            parent.AsObject().Remove(parts[^1]);
        }
        var apiVersion = created["apiVersion"]!.GetValue<string>();
        var (group, version) = apiVersion.Contains('/') ? (apiVersion.Split('/')[0], apiVersion.Split('/')[1]) : ("", apiVersion);
        var schema = BuiltinSchemas.Shared.Find(group, version, created["kind"]!.GetValue<string>())!;

        var result = FieldManager.Update(null, created, "reference", DateTimeOffset.Parse("2026-11-26T07:54:50Z"), schema);

        Assert.Equal(
            recorded["metadata"]!["managedFields"]!.ToJsonString(FieldsV1.SerializerOptions),
            result["metadata"]!["managedFields"]!.ToJsonString(FieldsV1.SerializerOptions));
    }
}
