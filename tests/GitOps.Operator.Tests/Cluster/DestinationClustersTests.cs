using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Plan;
using GitOps.Operator.Apply;
using GitOps.Operator.Cluster;
using GitOps.Operator.Cluster.Remote;
using GitOps.Operator.Compare;
using GitOps.Operator.Controller;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Operator.Tests.Cluster;

/// <summary>
/// Connections to remote clusters: shared only by Applications naming the same Secret of the same
/// namespace, started on first use, stopped when the last Application goes or moves, made again when
/// the kubeconfig changes.
/// </summary>
public sealed class DestinationClustersTests
{
    private static string Kubeconfig(string token, string server = "https://10.0.0.1:6443") => $$"""
        apiVersion: v1
        kind: Config
        clusters: [ { name: c, cluster: { server: "{{server}}" } } ]
        users: [ { name: u, user: { token: {{token}} } } ]
        contexts: [ { name: c, context: { cluster: c, user: u } } ]
        current-context: c
        """;

    private sealed class World
    {
        public FakeTimeProvider Time { get; } = new();
        public SecretsApi Secrets { get; } = new();
        public List<(ClusterRef Ref, string Digest)> Connected { get; } = [];
        public DestinationClusters Clusters { get; }

        public World()
        {
            var local = Cluster(ClusterRef.InCluster, "https://local");
            Clusters = new DestinationClusters(local, new ClusterSecrets(Secrets, ClusterOptions.Default with { Namespace = "gitops" }, Time), ClusterOptions.Default with { Namespace = "gitops" },
                (cluster, kubeconfig) =>
                {
                    lock (Connected) Connected.Add((cluster, kubeconfig.Digest));
                    return Cluster(cluster, kubeconfig.Server);
                }, NullLogger<DestinationClusters>.Instance);
        }

        private static DestinationCluster Cluster(ClusterRef cluster, string server)
        {
            var api = new VersionApi();
            var discovery = new ApiDiscovery(api);
            var cache = new ManagedObjectCache(api, InformerOptions.Default, ManagedScope.Everywhere, (_, _) => { });
            var applier = new ServerSideApplier(api);
            var comparer = new LiveStateComparer(discovery, cache, applier, new DiffCache());
            return new DestinationCluster(cluster, server, api, discovery, ManagedScope.Everywhere, cache, applier, comparer,
                new PlanExecutor(api, discovery, applier, comparer, ApplyOptions.Default), new NamespaceEnsurer(api, ManagedScope.Everywhere), new HookRunner(api, discovery, applier, ApplyOptions.Default));
        }
    }

    [Fact]
    public async Task SameSecret_OneConnection_StoppedWhenTheLastAppGoes()
    {
        var w = new World();
        w.Secrets.Put("team-a", "kc", Kubeconfig("a"));
        var cluster = ClusterRef.FromSecret("team-a", "kc", null);
        var first = await w.Clusters.ResolveAsync(new AppIdentity("team-a", "one"), cluster, default);
        var second = await w.Clusters.ResolveAsync(new AppIdentity("team-a", "two"), cluster, default);
        Assert.Same(first, second);
        Assert.Single(w.Connected);
        Assert.Equal("v1.32.0", first.Version);
        Assert.Equal(2, Assert.Single(w.Clusters.Remote).Apps);

        await w.Clusters.ReleaseAsync(new AppIdentity("team-a", "one"));
        Assert.Single(w.Clusters.Remote);
        // The other one moves back to the operator's own cluster: nobody uses the connection now.
        Assert.Same(w.Clusters.Local, await w.Clusters.ResolveAsync(new AppIdentity("team-a", "two"), ClusterRef.InCluster, default));
        Assert.Empty(w.Clusters.Remote);
    }

    [Fact]
    public async Task TwoTenants_SameSecretName_SameKubeconfig_NeverShareAConnection()
    {
        var w = new World();
        w.Secrets.Put("team-a", "kc", Kubeconfig("same"));
        w.Secrets.Put("team-b", "kc", Kubeconfig("same"));
        var a = await w.Clusters.ResolveAsync(new AppIdentity("team-a", "app"), ClusterRef.FromSecret("team-a", "kc", null), default);
        var b = await w.Clusters.ResolveAsync(new AppIdentity("team-b", "app"), ClusterRef.FromSecret("team-b", "kc", null), default);
        Assert.NotSame(a, b);
        Assert.Equal(2, w.Connected.Count);

        // Team B's Secret goes: B cannot use A's, though the name and the cluster are the same.
        w.Secrets.Delete("team-b", "kc");
        w.Time.Advance(ClusterOptions.Default.CredentialsTtl);
        var e = await Assert.ThrowsAsync<ClusterCredentialsException>(() => w.Clusters.ResolveAsync(new AppIdentity("team-b", "app"), ClusterRef.FromSecret("team-b", "kc", null), default));
        Assert.Equal("ClusterSecretMissing", e.Reason);
        Assert.Contains("Secret team-b/kc", e.Message);
        // B's connection, made from the Secret that went, stops; A's stays.
        Assert.Same(a, Assert.Single(w.Clusters.Remote).Cluster);
    }

    [Fact]
    public async Task RotatedKubeconfig_NewConnectionAfterTheTtl_OldOneStopped()
    {
        var w = new World();
        var cluster = ClusterRef.FromSecret("team-a", "kc", null);
        w.Secrets.Put("team-a", "kc", Kubeconfig("old"));
        var before = await w.Clusters.ResolveAsync(new AppIdentity("team-a", "app"), cluster, default);
        w.Secrets.Put("team-a", "kc", Kubeconfig("new"));
        Assert.Same(before, await w.Clusters.ResolveAsync(new AppIdentity("team-a", "app"), cluster, default)); // within the TTL: no request
        Assert.Equal(1, w.Secrets.Gets);

        w.Time.Advance(ClusterOptions.Default.CredentialsTtl);
        var after = await w.Clusters.ResolveAsync(new AppIdentity("team-a", "app"), cluster, default);
        Assert.NotSame(before, after);
        Assert.Same(after, Assert.Single(w.Clusters.Remote).Cluster);
    }

    [Fact]
    public async Task RegisteredCluster_SecretWithoutItsLabel_IsNotARegistration()
    {
        var w = new World();
        w.Secrets.Put("gitops", "gitops-cluster-prod", Kubeconfig("t"));
        var e = await Assert.ThrowsAsync<ClusterCredentialsException>(() => w.Clusters.ResolveAsync(new AppIdentity("a", "app"), ClusterRef.Registered("prod", "gitops"), default));
        Assert.Contains("lacks the label gitops.dev/cluster: prod", e.Message);

        w.Secrets.Put("gitops", "gitops-cluster-prod", Kubeconfig("t"), new JsonObject { ["gitops.dev/cluster"] = "prod" });
        w.Time.Advance(ClusterOptions.Default.CredentialsTtl);
        Assert.Equal("https://10.0.0.1:6443", (await w.Clusters.ResolveAsync(new AppIdentity("a", "app"), ClusterRef.Registered("prod", "gitops"), default)).Server);
    }

    /// <summary>Secrets by GET, as the API serves them (404 as null), counting the requests.</summary>
    internal sealed class SecretsApi : IKubeApi
    {
        private readonly Dictionary<string, JsonObject> _secrets = new(StringComparer.Ordinal);
        public int Gets { get; private set; }

        public void Put(string ns, string name, string kubeconfig, JsonObject? labels = null)
        {
            lock (_secrets)
                _secrets[$"/api/v1/namespaces/{ns}/secrets/{name}"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels ?? new JsonObject() },
                    ["data"] = new JsonObject { ["value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) },
                };
        }

        public void Delete(string ns, string name)
        {
            lock (_secrets) _secrets.Remove($"/api/v1/namespaces/{ns}/secrets/{name}");
        }

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct)
        {
            lock (_secrets)
            {
                Gets++;
                return Task.FromResult(_secrets.TryGetValue(path, out var s) ? (JsonObject?)s.DeepClone().AsObject() : null);
            }
        }

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => throw new NotSupportedException(path);
        public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => throw new NotSupportedException(path);
        public IAsyncEnumerable<WatchEvent> WatchAsync(string path, CancellationToken ct) => throw new NotSupportedException(path);
    }

    /// <summary>A cluster that answers /version and nothing else.</summary>
    private sealed class VersionApi : IKubeApi
    {
        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => Task.FromResult<JsonObject?>(null);

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
            path == "/version" ? Task.FromResult(new JsonObject { ["gitVersion"] = "v1.32.0" }) : throw new KubeApiException(404, "NotFound", path);

        public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => SendAsync(method, path, body, contentType, ct);

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Yield();
            yield break;
        }
    }
}
