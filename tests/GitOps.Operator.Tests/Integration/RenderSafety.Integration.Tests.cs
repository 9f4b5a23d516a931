namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RenderSafetyTests(OperatorFixture fx)
{
    [Fact]
    public async Task Push_BrokenYaml_RenderErrorNothingPrunedThenRecovers()
    {
        using var s = await Scenario.StartAsync(fx, "broken");
        var first = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/b.yaml", AppYaml.ConfigMap("b", "1")));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);

        await s.PushAsync("break b", ("app/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  value: [unclosed\n"), ("app/a.yaml", AppYaml.ConfigMap("a", "2")));
        await s.RefreshAsync();
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "RenderError"), "RenderError");
        var message = OperatorFixture.ConditionMessage(app, "RenderError")!;
        Assert.Contains("app/b.yaml", message);
        Assert.Matches(@"app/b\.yaml:\d+", message);
        Assert.Equal("1", (string?)(await s.ConfigMapAsync("a"))?["data"]?["value"]);
        Assert.NotNull(await s.ConfigMapAsync("b"));

        var fixedRevision = await s.PushAsync("fix b", ("app/b.yaml", AppYaml.ConfigMap("b", "fixed")));
        await s.RefreshAsync();
        app = await s.WaitSyncedAsync(fixedRevision);
        Assert.False(OperatorFixture.HasCondition(app, "RenderError"));
        Assert.Equal("fixed", (string?)(await s.ConfigMapAsync("b"))?["data"]?["value"]);
    }

    [Fact]
    public async Task Push_EmptyDirectory_NothingPruned()
    {
        using var s = await Scenario.StartAsync(fx, "empty");
        var first = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")), ("app/keep.txt", "x"));
        await s.CreateAppAsync();
        await s.WaitSyncedAsync(first);

        var emptied = await s.PushAsync("empty", ("app/a.yaml", null));
        await s.RefreshAsync();
        var app = await s.WaitAsync(a => (string?)a["status"]?["sync"]?["revision"] == emptied, "saw the empty revision");
        Assert.NotNull(await s.ConfigMapAsync("a"));
        // Not a plain success: Ready says the render was empty, and at which commit.
        var ready = (app["status"]?["conditions"] as System.Text.Json.Nodes.JsonArray)!.First(c => (string?)c?["type"] == "Ready")!;
        Assert.Equal("False", (string?)ready["status"]);
        Assert.Equal("EmptyRender", (string?)ready["reason"]);
        Assert.Contains($"the source at {emptied[..12]} rendered no objects", (string?)ready["message"], StringComparison.Ordinal);
        var table = await fx.KubectlOkAsync("get", "gapp", "-n", s.Namespace, "-o", "wide");
        Assert.Contains("rendered no objects", table, StringComparison.Ordinal);
        Assert.Matches(@"\bFalse\b", table);
    }

    [Fact]
    public async Task Create_PathMissing_RenderErrorNamesPath()
    {
        using var s = await Scenario.StartAsync(fx, "nopath");
        var first = await s.PushAsync("first", ("app/a.yaml", AppYaml.ConfigMap("a", "1")));
        await s.CreateAppAsync(path: "does/not/exist");
        var app = await s.WaitAsync(a => OperatorFixture.HasCondition(a, "RenderError"), "RenderError");
        Assert.Contains("does/not/exist", OperatorFixture.ConditionMessage(app, "RenderError"));
        Assert.Contains($"(at {first[..12]})", OperatorFixture.ConditionMessage(app, "RenderError"));
    }
}
