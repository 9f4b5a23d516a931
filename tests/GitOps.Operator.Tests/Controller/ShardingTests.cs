using System.Text.Json.Nodes;
using GitOps.Operator.Controller;

namespace GitOps.Operator.Tests.Controller;

public sealed class ShardingTests
{
    private static JsonObject App(string ns, string name, string? shardLabel = null) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["namespace"] = ns,
            ["name"] = name,
            ["labels"] = shardLabel is null ? null : new JsonObject { [Sharding.ShardLabel] = shardLabel },
        },
    };

    private static JsonObject ClusterApp(string ns, string name, string cluster, string? shardLabel = null)
    {
        var app = App(ns, name, shardLabel);
        app["spec"] = new JsonObject { ["destination"] = new JsonObject { ["clusterName"] = cluster } };
        return app;
    }

    [Fact]
    public void Owns_RegisteredCluster_EveryAppOfItOnOneShard_TheRegistrationsLabelPinsIt()
    {
        var shards = Enumerable.Range(0, 4).Select(i => new Sharding(i, 4)).ToList();
        var apps = Enumerable.Range(0, 40).Select(i => ClusterApp($"team-{i % 5}", $"app-{i}", "prod-eu")).ToList();
        // By the cluster's name: one shard has them all.
        Assert.Single(shards, s => apps.Any(a => s.Owns(a)));
        Assert.All(apps, a => Assert.Equal(1, shards.Count(s => s.Owns(a))));
        // The registration's label pins the cluster to shard 2.
        Func<string, string?> pinned = c => c == "prod-eu" ? "2" : null;
        Assert.All(apps, a => Assert.True(shards[2].Owns(a, pinned)));
        // The Application's own label still wins; the operator's own cluster is split by name as before.
        Assert.True(shards[3].Owns(ClusterApp("team", "mine", "prod-eu", shardLabel: "3"), pinned));
        var local = ClusterApp("team", "local", "in-cluster");
        Assert.True(shards[Sharding.ShardOf("team", "local", null, 4)].Owns(local, pinned));
    }

    [Fact]
    public void ShardOf_SameApp_SameShardEveryTime()
    {
        var first = Enumerable.Range(0, 50).Select(i => Sharding.ShardOf("team", $"app-{i}", null, 3)).ToList();
        var again = Enumerable.Range(0, 50).Select(i => Sharding.ShardOf("team", $"app-{i}", null, 3)).ToList();

        Assert.Equal(first, again);
        // FNV-1a of "team/app-0" is fixed: a change of the hash would move every app to another shard on upgrade.
        Assert.Equal(0x3668903du % 3, (uint)Sharding.ShardOf("team", "app-0", null, 3));
    }

    [Fact]
    public void ShardOf_ManyApps_SpreadEvenlyOverShards()
    {
        var counts = Enumerable.Range(0, 3000).GroupBy(i => Sharding.ShardOf($"ns-{i % 7}", $"app-{i}", null, 3)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal([0, 1, 2], counts.Keys.Order());
        Assert.All(counts.Values, n => Assert.InRange(n, 850, 1150));
    }

    public static TheoryData<string, string?, int> Label_TestData => new()
    {
        { "label pins the shard", "2", 2 },
        { "label zero", "0", 0 },
    };

    [Theory]
    [MemberData(nameof(Label_TestData))]
    public void Owns_ShardLabel_PinsTheApp(string caseName, string? label, int shard)
    {
        _ = caseName;
        var app = App("team", "web", label);

        Assert.True(new Sharding(shard, 3).Owns(app));
        Assert.Equal(1, Enumerable.Range(0, 3).Count(s => new Sharding(s, 3).Owns(app)));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("-1")]
    [InlineData("one")]
    public void Owns_InvalidLabel_FallsBackToTheHashSoExactlyOneShardOwnsIt(string label)
    {
        var app = App("team", "web", label);

        Assert.Equal(1, Enumerable.Range(0, 3).Count(s => new Sharding(s, 3).Owns(app)));
        Assert.True(new Sharding(Sharding.ShardOf("team", "web", null, 3), 3).Owns(app));
    }

    [Fact]
    public void Single_OwnsEverythingAndKeepsTheLeaseName()
    {
        Assert.True(Sharding.Single.Owns(App("a", "b", "5")));
        Assert.Equal("gitops-operator", Sharding.Single.LeaseName("gitops-operator"));
        Assert.Equal("gitops-operator-shard-2", new Sharding(2, 3).LeaseName("gitops-operator"));
    }

    public static TheoryData<string, int, int?, string?, int?, string?> Parse_TestData => new()
    {
        { "unsharded", 1, null, null, 0, null },
        { "explicit shard", 3, 2, null, 2, null },
        { "ordinal of a StatefulSet pod", 3, null, "gitops-operator-1", 1, null },
        { "explicit wins over the pod name", 3, 0, "gitops-operator-1", 0, null },
        { "pod name without an ordinal", 3, null, "gitops-operator-7d9c-abcde", null, "needs --shard" },
        { "no pod name", 3, null, null, null, "needs --shard" },
        { "shard out of range", 3, 3, null, null, "not in 0..2" },
        { "ordinal out of range", 2, null, "gitops-operator-4", null, "not in 0..1" },
        { "shard without shards", 1, 1, null, null, "needs --shards" },
        { "zero shards", 0, null, null, null, "at least 1" },
    };

    [Theory]
    [MemberData(nameof(Parse_TestData))]
    public void Parse_Cases(string caseName, int shards, int? shard, string? podName, int? expected, string? error)
    {
        _ = caseName;
        var (sharding, message) = Sharding.Parse(shards, shard, podName);

        Assert.Equal(expected, sharding?.Shard);
        if (error is null) Assert.Null(message);
        else Assert.Contains(error, message);
    }
}
