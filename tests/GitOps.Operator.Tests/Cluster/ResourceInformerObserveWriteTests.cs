using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Cluster;

/// <summary>
/// The operator's own write taken into the cache at once (only over the version it was based on), so
/// the next reconcile starts from it instead of meeting a 409 with an older status.
/// </summary>
public sealed class ResourceInformerObserveWriteTests
{
    private static readonly ResourceInfo Apps = new("gitops.dev", "v1alpha1", "Application", "applications", true);

    private static JsonObject App(string rv, string status) => new()
    {
        ["metadata"] = new JsonObject { ["namespace"] = "shop", ["name"] = "web", ["resourceVersion"] = rv },
        ["status"] = new JsonObject { ["health"] = status },
    };

    private static async Task<(ResourceInformer Informer, List<InformerEvent> Events, ListThenWatchApi Api)> StartAsync()
    {
        var api = new ListThenWatchApi(App("10", "Progressing"));
        var events = new List<InformerEvent>();
        var informer = new ResourceInformer(api, Apps, null, null, InformerOptions.Default, e => { lock (events) events.Add(e); }, withPrevious: true, stopWhenNotServed: false);
        informer.Start();
        await informer.WaitForSyncAsync(CancellationToken.None);
        return (informer, events, api);
    }

    [Fact]
    public async Task ObserveWrite_OverTheVersionItWasBasedOn_TakenInWithAModifiedEvent()
    {
        var (informer, events, _) = await StartAsync();
        await using var _ = informer;

        Assert.True(informer.ObserveWrite(App("11", "Healthy"), basedOnResourceVersion: "10"));

        Assert.Equal("Healthy", (string?)informer.Get("shop", "web")?["status"]?["health"]);
        lock (events)
        {
            var modified = Assert.Single(events, e => e.Type == WatchEventType.Modified);
            Assert.Equal("Progressing", (string?)modified.Previous?["status"]?["health"]);
        }
    }

    [Fact]
    public async Task ObserveWrite_CacheMovedOnMeanwhile_NotTakenIn()
    {
        var (informer, events, api) = await StartAsync();
        await using var _ = informer;
        // Someone else's write reached the cache first (rv 12); the operator's answer of rv 11 is older.
        await api.SendEventAsync(WatchEventType.Modified, App("12", "Degraded"));
        await Eventually.WaitAsync(() => Task.FromResult((string?)informer.Get("shop", "web")?["metadata"]?["resourceVersion"] == "12"), TimeSpan.FromSeconds(5), "the watch event in the cache");

        Assert.False(informer.ObserveWrite(App("11", "Healthy"), basedOnResourceVersion: "10"));

        Assert.Equal("Degraded", (string?)informer.Get("shop", "web")?["status"]?["health"]);
    }

    [Fact]
    public async Task WatchEvent_OfTheWriteAlreadyTakenIn_NoSecondEvent()
    {
        var (informer, events, api) = await StartAsync();
        await using var _ = informer;
        Assert.True(informer.ObserveWrite(App("11", "Healthy"), basedOnResourceVersion: "10"));

        await api.SendEventAsync(WatchEventType.Modified, App("11", "Healthy"));
        await api.SendEventAsync(WatchEventType.Modified, App("12", "Degraded"));
        await Eventually.WaitAsync(() => Task.FromResult((string?)informer.Get("shop", "web")?["metadata"]?["resourceVersion"] == "12"), TimeSpan.FromSeconds(5), "the next watch event in the cache");

        lock (events)
            Assert.Equal(["11", "12"], events.Where(e => e.Type == WatchEventType.Modified).Select(e => (string?)e.Object["metadata"]?["resourceVersion"]));
    }
}
