using System.Text.Json.Nodes;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Trust boundaries, point 5: a field ignoreDifferences ignores is neither reported nor taken back
/// by the next sync. The HPA case, with the one rule the README documents.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IgnoreDifferencesTests(OperatorFixture fx)
{
    private const string ReplicasRule = """
          ignoreDifferences:
          - group: apps
            kind: Deployment
            jsonPointers: [/spec/replicas]
        """;

    [Fact]
    public async Task IgnoreDifferences_ReplicasScaledByAnHpa_NotReportedNorTakenBackBySync()
    {
        using var s = await Scenario.StartAsync(fx, "ignore");
        var first = await s.PushAsync("first", ("app/web.yaml", AppYaml.PauseDeployment("web", "web", specExtra: "  replicas: 2")));
        await s.CreateAppAsync(extraSpec: ReplicasRule);
        await s.WaitSyncedAsync(first);

        // The autoscaler scales it (through the scale subresource, as the HPA controller does).
        await fx.KubectlOkAsync("scale", "-n", s.Namespace, "deployment/web", "--replicas=5");
        await s.RefreshAsync();
        var app = await s.WaitAsync(a => (string?)a["status"]?["handledRequests"]?["refreshRequestedAt"] is not null && OperatorFixture.IsSyncedAt(a, first), "still synced after the scale");
        Assert.Equal(5, (int?)(await Deployment(s))?["spec"]?["replicas"]);

        // A change to another field is synced; the replicas stay where the autoscaler put them.
        var second = await s.PushAsync("second", ("app/web.yaml", AppYaml.PauseDeployment("web", "web", specExtra: "  replicas: 2", metadataExtra: "  annotations: { team: payments }")));
        await s.RefreshAsync();
        await s.WaitSyncedAsync(second);

        var live = await Deployment(s);
        Assert.Equal("payments", (string?)live?["metadata"]?["annotations"]?["team"]);
        Assert.Equal(5, (int?)live?["spec"]?["replicas"]);
        Assert.False(OperatorFixture.HasCondition(app, "Drifted"));
    }

    private Task<JsonObject?> Deployment(Scenario s) => fx.GetAsync($"/apis/apps/v1/namespaces/{s.Namespace}/deployments/web");
}
