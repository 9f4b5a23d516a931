using GitOps.Engine.Model;
using GitOps.Operator.Render;

namespace GitOps.Operator.Tests.Render;

public sealed class DesiredStateCacheTests
{
    private static readonly DesiredStateCache.Key Key = new("/cache/trees/abc", "app", "p1", "team", "web", "digest-of-the-keys");

    private static Manifest ConfigMap(string name, string value) =>
        Manifest.Parse($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"team","labels":{"a":"b"}},"data":{"v":"{{{value}}}"}}""");

    [Fact]
    public void TryGet_AfterAdd_SameObjectsSameHashesFreshCopies()
    {
        var cache = new DesiredStateCache();
        var desired = new[] { ConfigMap("one", "1"), ConfigMap("two", "2") };

        cache.Add(Key, "kustomize", desired);
        Assert.True(cache.TryGet(Key, out var renderer, out var first));
        Assert.True(cache.TryGet(Key, out _, out var second));

        Assert.Equal("kustomize", renderer);
        Assert.Equal(desired.Select(m => m.Hash()), first.Select(m => m.Hash()));
        Assert.Equal(desired.Select(m => m.Key), first.Select(m => m.Key));
        Assert.Equal(desired[0].Labels, first[0].Labels);
        Assert.Equal(Manifest.From(first[1].ToJson()).Hash(), first[1].Hash()); // the kept hash is the object's own
        Assert.NotSame(first[0], second[0]);
    }

    public static TheoryData<string, DesiredStateCache.Key> OtherKey_TestData => new()
    {
        { "another commit", Key with { Tree = "/cache/trees/def" } },
        { "another path", Key with { Path = "app2" } },
        { "other parameters", Key with { Parameters = "p2" } },
        { "another Application", Key with { AppName = "api" } },
        { "other decryption keys", Key with { Decryption = "digest-of-other-keys" } },
        { "no decryption keys", Key with { Decryption = "" } },
    };

    [Theory]
    [MemberData(nameof(OtherKey_TestData))]
    public void TryGet_AnythingElseDiffers_Miss(string caseName, DesiredStateCache.Key other)
    {
        _ = caseName;
        var cache = new DesiredStateCache();
        cache.Add(Key, "directory", [ConfigMap("one", "1")]);

        Assert.False(cache.TryGet(other, out _, out var manifests));
        Assert.Empty(manifests);
    }

    [Fact]
    public void Add_BeyondItsBound_LeastRecentlyUsedGoes()
    {
        var cache = new DesiredStateCache(maxEntries: 2);
        cache.Add(Key with { AppName = "a" }, "directory", [ConfigMap("a", "1")]);
        cache.Add(Key with { AppName = "b" }, "directory", [ConfigMap("b", "1")]);
        Assert.True(cache.TryGet(Key with { AppName = "a" }, out _, out _));

        cache.Add(Key with { AppName = "c" }, "directory", [ConfigMap("c", "1")]);

        Assert.True(cache.TryGet(Key with { AppName = "a" }, out _, out _));
        Assert.False(cache.TryGet(Key with { AppName = "b" }, out _, out _));
        Assert.True(cache.TryGet(Key with { AppName = "c" }, out _, out _));
    }

    [Fact]
    public void Add_NewCommitOfAnApplication_DropsItsOlderEntryOnly()
    {
        var cache = new DesiredStateCache();
        cache.Add(Key, "directory", [ConfigMap("one", "1")]);
        cache.Add(Key with { AppName = "api" }, "directory", [ConfigMap("one", "1")]);

        cache.Add(Key with { Tree = "/cache/trees/def" }, "directory", [ConfigMap("one", "2")]);

        Assert.False(cache.TryGet(Key, out _, out _));
        Assert.True(cache.TryGet(Key with { Tree = "/cache/trees/def" }, out _, out _));
        Assert.True(cache.TryGet(Key with { AppName = "api" }, out _, out _)); // another Application keeps its own
        Assert.Equal(2, cache.Count);
    }

    /// <summary>More Applications than the old entry bound, reconciled round after round: every round after the first hits.</summary>
    [Fact]
    public void TryGet_ManyApplicationsInTurn_AllHitAfterTheFirstRound()
    {
        var cache = new DesiredStateCache();
        for (var round = 0; round < 2; round++)
        {
            for (var app = 0; app < 5000; app++)
            {
                var key = Key with { AppName = $"app-{app}" };
                if (!cache.TryGet(key, out _, out _)) cache.Add(key, "directory", [ConfigMap("one", "1")]);
            }
        }

        Assert.Equal(5000, cache.Hits);
        Assert.Equal(5000, cache.Misses);
    }

    [Fact]
    public void TryGet_DecryptedObjectKept_MarkKept()
    {
        var cache = new DesiredStateCache();
        cache.Add(Key, "directory", [ConfigMap("plain", "1"), ConfigMap("decrypted", "2").AsEncryptedInGit()]);

        Assert.True(cache.TryGet(Key, out _, out var manifests));

        Assert.Equal([false, true], manifests.Select(m => m.EncryptedInGit));
    }
}
