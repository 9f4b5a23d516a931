using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Operator.Compare;
using Xunit;

namespace GitOps.Operator.Tests.Compare;

public sealed class DiffCacheTests
{
    private static JsonObject Live(string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "shop", ["resourceVersion"] = "7" },
        ["data"] = new JsonObject { ["greeting"] = value },
    };

    [Fact]
    public void Put_KeepsTheVerdict_NotTheNormalizedObjects()
    {
        var cache = new DiffCache();
        var live = Live("hello");
        var diff = new DiffResult(true, ["/data/greeting"], Live("hello"), Live("bye"), DiffResult.ModifiedReason);

        cache.Put("desired-1", live, diff);

        Assert.True(cache.TryGet("desired-1", live, out var cached));
        Assert.True(cached.Modified);
        Assert.Equal(["/data/greeting"], cached.ChangedPaths);
        Assert.Equal(DiffResult.ModifiedReason, cached.Reason);
        Assert.Null(cached.NormalizedLive);
        Assert.Null(cached.NormalizedPredicted);
    }

    [Fact]
    public void TryGet_LiveContentChanged_Misses_StatusOrResourceVersionOnly_Hits()
    {
        var cache = new DiffCache();
        cache.Put("desired-1", Live("hello"), new DiffResult(false, [], null, null, DiffResult.InSyncReason));

        var statusOnly = Live("hello");
        statusOnly["metadata"]!["resourceVersion"] = "8";
        statusOnly["status"] = new JsonObject { ["phase"] = "Active" };

        Assert.True(cache.TryGet("desired-1", statusOnly, out _));
        Assert.False(cache.TryGet("desired-1", Live("edited by hand"), out _));
        Assert.False(cache.TryGet("desired-2", Live("hello"), out _));
    }

    [Fact]
    public void TryGet_DeploymentRevisionBumped_Hits_AnyOtherAnnotationChanged_Misses()
    {
        var cache = new DiffCache();
        var applied = Live("hello");
        applied["metadata"]!["annotations"] = new JsonObject { ["team"] = "a" };
        cache.Put("desired-1", applied, new DiffResult(false, [], null, null, DiffResult.InSyncReason));

        var rolledOut = (JsonObject)applied.DeepClone();
        rolledOut["metadata"]!["resourceVersion"] = "8";
        rolledOut["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"] = "1";
        var annotatedByHand = (JsonObject)rolledOut.DeepClone();
        annotatedByHand["metadata"]!["annotations"]!["team"] = "b";

        Assert.True(cache.TryGet("desired-1", rolledOut, out _));
        Assert.False(cache.TryGet("desired-1", annotatedByHand, out _));
    }

    [Fact]
    public void TryGet_SameUidAndResourceVersion_SameContent_OtherObjectOrVersion_Hashed_Afresh()
    {
        var cache = new DiffCache();
        var live = Live("hello");
        live["metadata"]!["uid"] = "u-1";
        cache.Put("desired-1", live, new DiffResult(false, [], null, null, DiffResult.InSyncReason));

        var again = Live("hello");
        again["metadata"]!["uid"] = "u-1";
        Assert.True(cache.TryGet("desired-1", again, out _));

        var edited = Live("edited by hand");
        edited["metadata"]!["uid"] = "u-1";
        edited["metadata"]!["resourceVersion"] = "8";
        Assert.False(cache.TryGet("desired-1", edited, out _));

        var otherObject = Live("edited by hand");
        otherObject["metadata"]!["uid"] = "u-2";
        Assert.False(cache.TryGet("desired-1", otherObject, out _));
    }
}
