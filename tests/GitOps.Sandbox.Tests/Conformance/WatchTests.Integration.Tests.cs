using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Watch (API concepts "Efficient detection of changes", "Watch bookmarks", "410 Gone responses").</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WatchTests(ApiTarget target)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private Kubernetes Client => target.Client;

    /// <summary>A watch of the config maps of <paramref name="ns"/>.</summary>
    private static WatchRecorder<V1ConfigMap> Recorder(ApiTarget target, string ns, string? resourceVersion = null, bool bookmarks = false, int? timeoutSeconds = null, string? labelSelector = null) =>
        new(target, (client, onError, ct) => client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: resourceVersion, allowWatchBookmarks: bookmarks,
            timeoutSeconds: timeoutSeconds, labelSelector: labelSelector, onError: onError, cancellationToken: ct));

    [Fact]
    public async Task Watch_ObjectLifecycle_SendsAddedModifiedDeleted()
    {
        var ns = await target.NewNamespaceAsync();
        var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        await using var watch = Recorder(target, ns, start.Metadata.ResourceVersion, labelSelector: "w=1");
        var labels = new Dictionary<string, string> { ["w"] = "1" };
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("life", new Dictionary<string, string> { ["k"] = "1" }, labels), ns);
        var updated = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"k":"2"}}""", V1Patch.PatchType.MergePatch), "life", ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("life", ns);

        var added = await watch.NextChangeAsync();
        Assert.Equal(WatchEventType.Added, added.Type);
        Assert.Equal(created.Metadata.ResourceVersion, added.Object.Metadata.ResourceVersion);
        var modified = await watch.NextChangeAsync();
        Assert.Equal(WatchEventType.Modified, modified.Type);
        Assert.Equal("2", modified.Object.Data["k"]);
        Assert.Equal(updated.Metadata.ResourceVersion, modified.Object.Metadata.ResourceVersion);
        var deleted = await watch.NextChangeAsync();
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.Equal("life", deleted.Object.Metadata.Name);
        Assert.True(Conform.Rv(deleted.Object) > Conform.Rv(updated));
    }

    /// <summary>
    /// A watch receives events of its own resource only: writes of other resources in the same
    /// namespace, whether replayed from history (made before the watch opened) or live, and
    /// cluster-scoped writes never reach it.
    /// </summary>
    [Fact]
    public async Task Watch_OnOneResource_NeverReceivesEventsOfAnother()
    {
        var ns = await target.NewNamespaceAsync();
        var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        // Before the watch opens: the watch replays history from start, and must skip these.
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "before" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, ns);
        await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "before" } }, ns);
        await using var watch = Recorder(target, ns, start.Metadata.ResourceVersion);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("ready"), ns);
        // Once "ready" arrives the watch is live: what follows reaches it as live events, not history.
        await NextOwnAsync((WatchEventType.Added, "ConfigMap", "ready"));
        // Live: another resource created, changed and deleted, a cluster-scoped write, and the config map's own lifecycle.
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "during" } }, ns);
        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"labels":{"x":"1"}}}""", V1Patch.PatchType.MergePatch), "during", ns);
        await Client.CoreV1.DeleteNamespacedSecretAsync("before", ns);
        await Client.CoreV1.DeleteNamespacedServiceAccountAsync("before", ns);
        await target.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("mine"), ns);
        await Client.CoreV1.DeleteNamespacedSecretAsync("during", ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("mine", ns);
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "after" } }, ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("last"), ns);

        await NextOwnAsync((WatchEventType.Added, "ConfigMap", "mine"));
        await NextOwnAsync((WatchEventType.Deleted, "ConfigMap", "mine"));
        await NextOwnAsync((WatchEventType.Added, "ConfigMap", "last"));

        async Task NextOwnAsync((WatchEventType, string, string) expected)
        {
            var e = await NextTestChangeAsync(watch, ns);
            Assert.Equal(expected, (e.Type, e.Object.Kind, e.Object.Metadata.Name));
        }
    }

    /// <summary>
    /// The next change to a config map the test wrote: a real cluster's controllers may write theirs
    /// (<see cref="ApiTarget.ClusterConfigMapsIn"/>), which are config maps too, so they may show up.
    /// </summary>
    private async Task<(WatchEventType Type, V1ConfigMap Object)> NextTestChangeAsync(WatchRecorder<V1ConfigMap> watch, string ns)
    {
        var clusters = target.ClusterConfigMapsIn(ns);
        (WatchEventType Type, V1ConfigMap Object) e;
        do e = await watch.NextChangeAsync(); while (clusters.Contains(e.Object.Metadata.Name));
        return e;
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithSyntheticAddedForExistingObjects()
    {
        var ns = await target.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("pre", labels: new Dictionary<string, string> { ["w"] = "1" }), ns);
        await using var watch = Recorder(target, ns, labelSelector: "w=1");
        var first = await watch.NextChangeAsync();
        Assert.Equal(WatchEventType.Added, first.Type);
        Assert.Equal("pre", first.Object.Metadata.Name);
    }

    [Fact]
    public async Task Watch_LabelChangeOutOfSelector_SendsDeleted()
    {
        var ns = await target.NewNamespaceAsync();
        var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        await using var watch = Recorder(target, ns, start.Metadata.ResourceVersion, labelSelector: "w=1");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("mover", labels: new Dictionary<string, string> { ["w"] = "1" }), ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"w":"2"}}}""", V1Patch.PatchType.MergePatch), "mover", ns);
        Assert.Equal(WatchEventType.Added, (await watch.NextChangeAsync()).Type);
        Assert.Equal(WatchEventType.Deleted, (await watch.NextChangeAsync()).Type);
    }

    [Fact]
    public async Task Watch_WithAllowWatchBookmarks_ReceivesBookmark()
    {
        var ns = await target.NewNamespaceAsync();
        var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        // The apiserver sends bookmarks about once a minute; the sandbox every BookmarkInterval.
        await using var watch = Recorder(target, ns, start.Metadata.ResourceVersion, bookmarks: true);
        (WatchEventType Type, V1ConfigMap Object) e;
        do e = await watch.NextAsync(deadline: TimeSpan.FromSeconds(target.IsRealCluster ? 90 : 20)); while (e.Type != WatchEventType.Bookmark);
        Assert.True(Conform.Rv(e.Object) >= long.Parse(start.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_ResumedFromLastResourceVersion_MissesAndRepeatsNothing()
    {
        var ns = await target.NewNamespaceAsync();
        var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        var expected = new List<(WatchEventType, string, string)>();
        async Task Write(int i)
        {
            var name = $"r{i % 2}";
            V1ConfigMap obj;
            if (i < 2)
            {
                obj = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap(name, new Dictionary<string, string> { ["i"] = $"{i}" }), ns);
                expected.Add((WatchEventType.Added, name, obj.Metadata.ResourceVersion));
            }
            else
            {
                obj = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$$"""{"data":{"i":"{{{i}}}"}}""", V1Patch.PatchType.MergePatch), name, ns);
                expected.Add((WatchEventType.Modified, name, obj.Metadata.ResourceVersion));
            }
        }
        for (var i = 0; i < 6; i++) await Write(i);

        var seen = new List<(WatchEventType, string, string)>();
        var rv = start.Metadata.ResourceVersion;
        await using (var first = Recorder(target, ns, rv))
        {
            for (var i = 0; i < 3; i++)
            {
                var e = await NextTestChangeAsync(first, ns);
                seen.Add((e.Type, e.Object.Metadata.Name, e.Object.Metadata.ResourceVersion));
                rv = e.Object.Metadata.ResourceVersion;
            }
        }
        for (var i = 6; i < 8; i++) await Write(i);
        await using (var second = Recorder(target, ns, rv))
        {
            for (var i = 3; i < 8; i++)
            {
                var e = await NextTestChangeAsync(second, ns);
                seen.Add((e.Type, e.Object.Metadata.Name, e.Object.Metadata.ResourceVersion));
            }
        }
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Watch_FromCompactedResourceVersion_Returns410Gone()
    {
        if (target.IsRealCluster) return; // compaction is forced through the sandbox only
        var ns = await target.NewNamespaceAsync();
        var old = await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("old"), ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"k":"v"}}""", V1Patch.PatchType.MergePatch), "old", ns);
        target.Sandbox!.CompactHistory();
        await using var watch = Recorder(target, ns, old.Metadata.ResourceVersion);
        await watch.Completion.WaitAsync(Deadline);
        var error = Assert.Single(watch.Errors);
        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);

        // A fresh list gives a resourceVersion that can be watched again.
        var relist = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        await using var again = Recorder(target, ns, relist.Metadata.ResourceVersion);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("old", ns);
        Assert.Equal(WatchEventType.Deleted, (await again.NextChangeAsync()).Type);
    }

    [Fact]
    public async Task Watch_WithTimeoutSeconds_EndsTheStream()
    {
        var ns = await target.NewNamespaceAsync();
        var started = DateTime.UtcNow;
        await using var watch = Recorder(target, ns, timeoutSeconds: 1);
        await watch.Completion.WaitAsync(Deadline);
        // The client reports the end of an empty watch stream as an error (kubernetes-client/csharp#893); only the end matters here.
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(900), Deadline);
    }

    [Fact]
    public async Task CloseWatches_WithOpenWatches_EndsEveryStream()
    {
        if (target.IsRealCluster) return; // an apiserver restart cannot be forced on a real cluster
        var ns = await target.NewNamespaceAsync();
        await using var a = Recorder(target, ns);
        await using var b = Recorder(target, ns, bookmarks: true);
        // Make sure both streams are established before closing them.
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("ping"), ns);
        await a.NextChangeAsync();
        await b.NextChangeAsync();
        target.Sandbox!.CloseWatches();
        await Task.WhenAll(a.Completion, b.Completion).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Watch_SingleObjectByFieldSelector_SeesOnlyThatObject()
    {
        var ns = await target.NewNamespaceAsync();
        var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        using var watcher = target.NewClient(); // the watch's connection is closed with it, never reused
        var response = watcher.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, watch: true, resourceVersion: start.Metadata.ResourceVersion, fieldSelector: "metadata.name=only");
        using var cts = new CancellationTokenSource(Deadline);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("other"), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("only"), ns);
        // The older list-with-watch=true form many operators still use.
#pragma warning disable CS0618
        await foreach (var (type, obj) in response.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: cts.Token))
#pragma warning restore CS0618
        {
            Assert.Equal(WatchEventType.Added, type);
            Assert.Equal("only", obj.Metadata.Name);
            break;
        }
        // Leaving the loop does not close the response of this older form; cancelling does.
        await cts.CancelAsync();
        (await response).Response.Dispose();
    }
}
