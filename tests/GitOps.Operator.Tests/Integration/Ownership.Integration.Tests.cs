namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OwnershipTests(OperatorFixture fx)
{
    [Fact]
    public async Task TwoAppsSameObject_SecondRefusedWithSharedResource()
    {
        using var s = await Scenario.StartAsync(fx, "shared");
        var rev = await s.PushAsync("first", ("one/cm.yaml", AppYaml.ConfigMap("common", "from-one")), ("two/cm.yaml", AppYaml.ConfigMap("common", "from-two")));
        await s.CreateAppAsync(path: "one", name: "one");
        await s.WaitSyncedAsync(rev, "one");
        await s.CreateAppAsync(path: "two", name: "two");
        var two = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "SharedResource"), "SharedResource on the second app");
        Assert.Contains($"{s.Namespace}/one", OperatorFixture.ConditionMessage(two, "SharedResource"));
        Assert.Equal("from-one", (string?)(await s.ConfigMapAsync("common"))?["data"]?["value"]);
    }

    [Fact]
    public async Task ObjectCreatedByPerson_SameNamespace_NeverTouched()
    {
        using var s = await Scenario.StartAsync(fx, "person");
        await fx.ApplyYamlAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: handmade\n  namespace: {s.Namespace}\ndata:\n  value: mine\n");
        var first = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/b.yaml", AppYaml.ConfigMap("b", "1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);
        var second = await s.PushAsync("remove b", ("app/b.yaml", null));
        await s.RefreshAsync();
        await s.WaitSyncedAsync(second);

        var handmade = await s.ConfigMapAsync("handmade");
        Assert.Equal("mine", (string?)handmade?["data"]?["value"]);
        Assert.Null(handmade?["metadata"]?["labels"]?["gitops.dev/managed-by"]);
    }
}

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImpersonationTests(OperatorFixture fx)
{
    [Fact]
    public async Task DestinationServiceAccount_AppliesAsThatAccount()
    {
        if (fx.Sandbox is null) return; // the sandbox counts impersonated requests; a real cluster would enforce RBAC
        using var s = await Scenario.StartAsync(fx, "tenant");
        var rev = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")));
        await s.CreateAppAsync(destinationExtra: "    serviceAccountName: deployer");
        await s.WaitSyncedAsync(rev);
        Assert.True(fx.Sandbox.Requests.ImpersonatedAs($"system:serviceaccount:{s.Namespace}:deployer") > 0);
    }
}
