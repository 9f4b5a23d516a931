using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Cluster;

/// <summary>
/// The index of live objects by the Application their tracking id names: an object deleted leaves it,
/// and an Application whose last object went leaves no entry behind (Applications come and go for years).
/// </summary>
public sealed class ManagedObjectCacheTrackingTests
{
    private static readonly ResourceInfo ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);

    private static JsonObject ConfigMap(string app, string name, string rv)
    {
        var identity = new AppIdentity("shop", app);
        var key = new ResourceKey("", "ConfigMap", "shop", name);
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["namespace"] = "shop", ["name"] = name, ["resourceVersion"] = rv,
                ["annotations"] = new JsonObject { [Annotations.TrackingId] = identity.TrackingId(key) },
            },
        };
    }

    [Fact]
    public async Task Deleted_LastObjectOfAnApplication_ItsEntryGoesTheOthersStay()
    {
        var api = new ListThenWatchApi(ConfigMap("web", "a", "5"), ConfigMap("web", "b", "6"), ConfigMap("api", "c", "7"));
        await using var cache = new ManagedObjectCache(api, InformerOptions.Default, ManagedScope.Everywhere, (_, _) => { });
        await cache.GetAsync(ConfigMaps, "shop", "a", default);
        Assert.Equal(2, cache.TrackingApplications);
        Assert.Equal(2, cache.TrackedBy(new AppIdentity("shop", "web")).Count);

        await api.SendEventAsync(WatchEventType.Deleted, ConfigMap("web", "a", "11"));
        await api.SendEventAsync(WatchEventType.Deleted, ConfigMap("web", "b", "12"));
        await Eventually.WaitAsync(() => Task.FromResult(cache.TrackingApplications == 1), TimeSpan.FromSeconds(10), "web's entry gone");

        Assert.Empty(cache.TrackedBy(new AppIdentity("shop", "web")));
        Assert.Single(cache.TrackedBy(new AppIdentity("shop", "api")));

        await api.SendEventAsync(WatchEventType.Added, ConfigMap("web", "d", "13")); // and it comes back with a new object
        await Eventually.WaitAsync(() => Task.FromResult(cache.TrackedBy(new AppIdentity("shop", "web")).Count == 1), TimeSpan.FromSeconds(10), "web tracked again");
    }
}
