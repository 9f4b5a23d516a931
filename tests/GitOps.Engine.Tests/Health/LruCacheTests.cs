using GitOps.Engine.Health.Rules;

namespace GitOps.Engine.Tests.Health;

public class LruCacheTests
{
    [Fact]
    public void GetOrAdd_SameKeyTwice_ComputedOnce()
    {
        var computed = 0;
        var cache = new LruCache<string, int>(2, k => { computed++; return k.Length; });

        cache.GetOrAdd("abc");
        var second = cache.GetOrAdd("abc");

        Assert.Equal((3, 1), (second, computed));
    }

    [Fact]
    public void GetOrAdd_OverCapacity_DropsLeastRecentlyUsed()
    {
        var computed = new List<string>();
        var cache = new LruCache<string, int>(2, k => { computed.Add(k); return k.Length; });

        cache.GetOrAdd("a");
        cache.GetOrAdd("b");
        cache.GetOrAdd("a");
        cache.GetOrAdd("c");
        cache.GetOrAdd("a");
        cache.GetOrAdd("b");

        Assert.Equal(["a", "b", "c", "b"], computed);
        Assert.Equal(2, cache.Count);
    }
}
