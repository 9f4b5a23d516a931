using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SelfHealTests(OperatorFixture fx)
{
    private static async Task<Scenario> SyncedAsync(OperatorFixture fx, string prefix, bool selfHeal = true)
    {
        var s = await Scenario.StartAsync(fx, prefix);
        var rev = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "git")));
        await s.CreateAppAsync(selfHeal: selfHeal);
        await s.WaitSyncedAsync(rev);
        return s;
    }

    private static Task<bool> ValueIsAsync(Scenario s, string value) =>
        s.ConfigMapAsync("settings").ContinueWith(t => (string?)t.Result?["data"]?["value"] == value);

    [Fact]
    public async Task ManualEdit_SelfHeal_PutBackWithinSeconds()
    {
        using var s = await SyncedAsync(fx, "heal");
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");
        await Eventually.WaitAsync(() => ValueIsAsync(s, "git"), TimeSpan.FromSeconds(10), "edit healed");
    }

    [Fact]
    public async Task ManagedObjectDeleted_SelfHeal_Recreated()
    {
        using var s = await SyncedAsync(fx, "recreate");
        await fx.KubectlOkAsync("delete", "-n", s.Namespace, "configmap", "settings");
        await Eventually.WaitAsync(() => ValueIsAsync(s, "git"), TimeSpan.FromSeconds(10), "object re-created");
    }

    [Fact]
    public async Task ManualEdit_SelfHealOff_DriftedReportedNotHealed()
    {
        using var s = await SyncedAsync(fx, "drift", selfHeal: false);
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "Drifted"), "Drifted condition");
        Assert.Equal("OutOfSync", (string?)app["status"]?["sync"]?["status"]);
        Assert.True(await ValueIsAsync(s, "edited"));
    }

    [Fact]
    public async Task DriftHold_UntilExpiry_HeldThenHealed()
    {
        using var s = await SyncedAsync(fx, "hold");
        var until = DateTime.UtcNow.AddSeconds(4).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await fx.KubectlOkAsync("annotate", "-n", s.Namespace, "configmap", "settings",
            "gitops.dev/drift-hold=incident-42 hotfix", $"gitops.dev/drift-hold-until={until}");
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"hotfix\"}}");
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "DriftHeld"), "DriftHeld condition");
        Assert.Contains("incident-42", OperatorFixture.ConditionMessage(app, "DriftHeld"));
        Assert.True(await ValueIsAsync(s, "hotfix"));

        await Eventually.WaitAsync(() => ValueIsAsync(s, "git"), TimeSpan.FromSeconds(20), "healed after the hold expired");
        await s.WaitAsync(a => !OperatorFixture.HasCondition(a, "DriftHeld"), "hold condition cleared");
    }
}
