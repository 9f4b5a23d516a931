using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
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
        var api = new ListThenWatchApi([ConfigMap("web", "a", "5"), ConfigMap("web", "b", "6"), ConfigMap("api", "c", "7")]);
        await using var cache = new ManagedObjectCache(api, InformerOptions.Default, ManagedScope.Everywhere, (_, _) => { });
        await cache.GetAsync(ConfigMaps, "shop", "a", default);
        Assert.Equal(2, cache.TrackingApplications);
        Assert.Equal(2, cache.TrackedBy(new AppIdentity("shop", "web")).Count);

        await api.SendAsync(WatchEventType.Deleted, ConfigMap("web", "a", "8"));
        await api.SendAsync(WatchEventType.Deleted, ConfigMap("web", "b", "9"));
        await Eventually.WaitAsync(() => Task.FromResult(cache.TrackingApplications == 1), TimeSpan.FromSeconds(10), "web's entry gone");

        Assert.Empty(cache.TrackedBy(new AppIdentity("shop", "web")));
        Assert.Single(cache.TrackedBy(new AppIdentity("shop", "api")));

        await api.SendAsync(WatchEventType.Added, ConfigMap("web", "d", "10")); // and it comes back with a new object
        await Eventually.WaitAsync(() => Task.FromResult(cache.TrackedBy(new AppIdentity("shop", "web")).Count == 1), TimeSpan.FromSeconds(10), "web tracked again");
    }

    /// <summary>Lists the given objects at resourceVersion 7, then streams the events a test sends.</summary>
    private sealed class ListThenWatchApi(JsonObject[] initial) : IKubeApi
    {
        private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();

        public ValueTask SendAsync(WatchEventType type, JsonObject obj) => _events.Writer.WriteAsync(new WatchEvent(type, obj));

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => Task.FromResult<JsonObject?>(null);

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
            Task.FromResult(new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "7" }, ["items"] = new JsonArray([.. initial.Select(o => o.DeepClone())]) });

        public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
            SendAsync(method, path, body, contentType, ct);

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var e in _events.Reader.ReadAllAsync(ct)) yield return e;
        }
    }
}
