using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// A process killed between an apply and the status write that records it leaves objects that carry the
/// Application's tracking id but are not in its inventory. They are still the Application's: when Git no
/// longer has them they are pruned. Objects whose tracking id names another Application, or names this
/// one with another object's key (an annotation copied by hand), are never touched.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class UntrackedObjectsTests(OperatorFixture fx)
{
    private static string Tracked(string name, string trackingId) => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{name}}
          labels: { gitops.dev/managed-by: gitops-operator }
          annotations: { gitops.dev/tracking-id: "{{trackingId}}" }
        data: { value: "left by a process that died" }
        """;

    [Fact]
    public async Task ObjectWithItsTrackingIdButNoInventoryEntry_PrunedWhenNotInGit_OthersNeverTouched()
    {
        using var s = await Scenario.StartAsync(fx, "untracked");
        var ns = s.Namespace;
        // As a killed process leaves them: applied with this app's tracking id, never recorded in its status.
        await fx.ApplyYamlAsync(Tracked("orphan", $"{ns}/app:/ConfigMap:{ns}/orphan").Replace("name: orphan", $"name: orphan\n  namespace: {ns}", StringComparison.Ordinal));
        // Another Application's object, and a copy of this app's tracking id on an object it does not name.
        await fx.ApplyYamlAsync(Tracked("theirs", $"{ns}/other:/ConfigMap:{ns}/theirs").Replace("name: theirs", $"name: theirs\n  namespace: {ns}", StringComparison.Ordinal));
        await fx.ApplyYamlAsync(Tracked("copied", $"{ns}/app:/ConfigMap:{ns}/orphan").Replace("name: copied", $"name: copied\n  namespace: {ns}", StringComparison.Ordinal));

        var revision = await s.PushAsync("keep only this", ("app/keep.yaml", AppYaml.ConfigMap("keep", "git")));
        await s.CreateAppAsync(prune: true);
        await s.WaitSyncedAsync(revision);

        await Eventually.WaitAsync(async () => await s.ConfigMapAsync("orphan") is null, TimeSpan.FromSeconds(20), "the untracked object of this Application pruned");
        Assert.NotNull(await s.ConfigMapAsync("theirs"));
        Assert.NotNull(await s.ConfigMapAsync("copied"));
        Assert.NotNull(await s.ConfigMapAsync("keep"));
    }
}
