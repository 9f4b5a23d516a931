using System.Net.Http;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// A kube-apiserver restarted over the same etcd (sandbox only: <see cref="SandboxServer.RestartAsync"/>):
/// the same address, the objects kept, resourceVersions rising past the old ones, open watches ended,
/// and a fresh watch cache: a watch resumed from before the restart gets 410 Gone, one from the
/// current resourceVersion resumes. A sandbox of its own, as the restart would break others' watches.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ApiTarget _target = new();

    public Task InitializeAsync() => _target.InitializeAsync();

    public Task DisposeAsync() => _target.DisposeAsync();

    private static WatchRecorder<V1ConfigMap> Recorder(ApiTarget target, string ns, string? resourceVersion) =>
        new(target, (client, onError, ct) => client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: resourceVersion, onError: onError, cancellationToken: ct));

    [Fact]
    public async Task Restart_KeepsObjectsAndAddress_EndsWatches_OldResourceVersionGone()
    {
        if (_target.IsRealCluster) return; // a restart cannot be forced on a real cluster
        var sandbox = _target.Sandbox!;
        var ns = await _target.NewNamespaceAsync();
        var created = await _target.Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("kept"), ns);
        var updated = await _target.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"k":"2"}}""", V1Patch.PatchType.MergePatch), "kept", ns);
        await using var open = Recorder(_target, ns, updated.Metadata.ResourceVersion);
        var address = sandbox.BaseAddress;

        await sandbox.StopServingAsync();
        await open.Completion.WaitAsync(Deadline);
        using (var refused = _target.NewClient())
            await Assert.ThrowsAsync<HttpRequestException>(() => refused.CoreV1.ReadNamespacedConfigMapAsync("kept", ns));
        await sandbox.StartServingAsync();

        Assert.Equal(address, sandbox.BaseAddress);
        using var client = _target.NewClient();
        var kept = await client.CoreV1.ReadNamespacedConfigMapAsync("kept", ns);
        Assert.Equal(updated.Metadata.ResourceVersion, kept.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, kept.Metadata.Uid);
        var after = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"k":"3"}}""", V1Patch.PatchType.MergePatch), "kept", ns);
        Assert.True(Conform.Rv(after) > Conform.Rv(updated), "resourceVersions went back after the restart");

        await using var resumedFromBefore = Recorder(_target, ns, created.Metadata.ResourceVersion);
        await resumedFromBefore.Completion.WaitAsync(Deadline);
        var status = Assert.IsType<KubernetesException>(Assert.Single(resumedFromBefore.Errors)).Status;
        Assert.Equal(410, status.Code);

        var relist = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        await using var resumed = Recorder(_target, ns, relist.Metadata.ResourceVersion);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("kept", ns);
        Assert.Equal(WatchEventType.Deleted, (await resumed.NextChangeAsync()).Type);
    }
}
