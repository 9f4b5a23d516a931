using System.Text.Json.Nodes;
using GitOps.Operator.Status;

namespace GitOps.Operator.Tests.Status;

public class ApplicationStatusTests
{
    private const string Written = """
        {
          "observedGeneration": 3,
          "sync": { "status": "Synced", "revision": "0123456789abcdef" },
          "health": { "status": "Healthy", "message": "" },
          "conditions": [
            { "type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": "synced to 0123456789ab", "lastTransitionTime": "2026-12-06T06:18:19Z", "observedGeneration": 3 }
          ],
          "resources": [
            { "group": "apps", "version": "v1", "kind": "Deployment", "namespace": "shop", "name": "web", "status": "Synced", "health": "Healthy" },
            { "group": "", "version": "v1", "kind": "ConfigMap", "namespace": "shop", "name": "cfg", "status": "OutOfSync", "message": "differs" }
          ],
          "inventory": [ "apps/Deployment/shop/web", "/ConfigMap/shop/cfg" ],
          "policyViolations": [ { "group": "", "kind": "Secret", "namespace": "shop", "name": "s", "rule": "plainSecret", "message": "plain", "action": "Warn" } ],
          "operationState": { "phase": "Failed", "message": "x: no", "startedAt": "2026-12-06T06:00:00Z", "finishedAt": "2026-12-06T06:00:05Z", "retryCount": 2, "syncRevision": "0123456789abcdef", "manual": true },
          "history": [ { "id": 1, "revision": "aaaa", "deployedAt": "2026-12-05T00:00:00Z" }, { "id": 2, "revision": "0123456789abcdef", "deployedAt": "2026-12-06T00:00:00Z" } ],
          "handledRequests": { "syncRequestedAt": "2026-12-06T05:00:00Z" }
        }
        """;

    private static JsonObject App(string? status) =>
        new() { ["metadata"] = new JsonObject { ["name"] = "web" }, ["status"] = status is null ? null : JsonNode.Parse(status) };

    [Fact]
    public void OfThenToJson_StatusTheOperatorWrote_SameJson()
    {
        var status = ApplicationStatus.Of(App(Written));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Written), status.ToJson()), status.ToJson().ToJsonString());
    }

    [Fact]
    public void Of_StatusTheOperatorWrote_Typed()
    {
        var status = ApplicationStatus.Of(App(Written));
        Assert.True(status.Is("Ready") && status.Sync!.Status == "Synced" && status.OperationState!.RetryCount == 2
            && status.FindHistory(2)!.Revision == "0123456789abcdef" && status.InventoryEntries.Count() == 2 && status.ShortRevision == "0123456789ab"
            && status.Resources[1].Message == "differs" && status.StageFailure is null, status.ToString());
    }

    // caseName, status JSON
    public static TheoryData<string, string?> Unreadable_TestData() => new()
    {
        { "no status", null },
        { "empty", "{}" },
        { "a time that is not one", """{"conditions":[{"type":"Ready","status":"True","reason":"r","message":"m","lastTransitionTime":"yesterday","observedGeneration":1}]}""" },
        { "a wrong type", """{"history":"all of it"}""" },
    };

    [Theory]
    [MemberData(nameof(Unreadable_TestData))]
    public void Of_MissingOrForeignStatus_StartsEmpty(string caseName, string? json)
    {
        var status = ApplicationStatus.Of(App(json));
        Assert.True(status.Sync is null && status.Conditions.Count == 0 && status.History.Count == 0, $"{caseName}: {status}");
    }

    [Fact]
    public void StageFailure_FailedSource_NamesIt()
    {
        var status = ApplicationStatus.Of(App("""{"conditions":[{"type":"SourceError","status":"True","reason":"SourceFailed","message":"unreachable","lastTransitionTime":"2026-12-06T06:18:19Z","observedGeneration":1}]}"""));
        Assert.Equal("SourceError: unreachable", status.StageFailure);
    }
}
