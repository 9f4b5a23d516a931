using GitOps.Engine.Plan;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Cluster.Remote;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// The clusters Applications deploy to: the operator's own, and one <see cref="DestinationCluster"/>
/// per remote cluster and kubeconfig, started when the first Application targets it and stopped
/// (its informers ended) when the last one goes or moves. A connection is shared only by Applications
/// naming the same Secret of the same namespace, so one tenant's kubeconfig never serves another.
/// </summary>
public sealed class DestinationClusters(
    DestinationCluster local,
    ClusterSecrets secrets,
    ClusterOptions options,
    Func<ClusterRef, Kubeconfig, DestinationCluster> connect,
    ILogger<DestinationClusters> log) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(ClusterRef Ref, string Digest), Connection> _connections = [];
    private readonly Dictionary<AppIdentity, (ClusterRef Ref, string Digest)> _targets = [];

    private sealed record Connection(DestinationCluster Cluster, HashSet<AppIdentity> Apps);

    public DestinationCluster Local => local;

    /// <summary>The remote clusters with a connection now, and how many Applications use each.</summary>
    public IReadOnlyList<(DestinationCluster Cluster, int Apps)> Remote
    {
        get { lock (_lock) return [.. _connections.Values.Select(c => (c.Cluster, c.Apps.Count))]; }
    }

    /// <summary>
    /// The cluster an Application's spec names. Throws <see cref="TerminalReconcileException"/> for a spec
    /// that names two, or a registered name that cannot be one.
    /// </summary>
    public ClusterRef RefOf(Application app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var destination = app.Spec.Destination;
        var name = destination.ClusterName;
        var secret = destination.Cluster?.SecretRef;
        var named = name.Length > 0 && name != ClusterRef.InClusterName;
        if (named && secret is not null)
            throw new TerminalReconcileException(Status.Reasons.Stalled, Status.Reasons.InvalidSpec, "spec.destination names both clusterName and cluster.secretRef; name one");
        if (secret is not null)
        {
            if (secret.Name.Length == 0) throw new TerminalReconcileException(Status.Reasons.Stalled, Status.Reasons.InvalidSpec, "spec.destination.cluster.secretRef.name is required");
            return ClusterRef.FromSecret(app.Namespace, secret.Name, secret.Key);
        }
        if (!named) return ClusterRef.InCluster;
        if (ClusterRegistration.NameError(name) is { } error) throw new TerminalReconcileException(Status.Reasons.Stalled, Status.Reasons.InvalidSpec, $"spec.destination.clusterName: {error}");
        return ClusterRef.Registered(name, options.Namespace);
    }

    /// <summary>
    /// The connection for the Application's destination, made or reused; asked for its version when new or
    /// when its watches fail. Throws <see cref="ClusterCredentialsException"/> when the Secret or kubeconfig
    /// cannot be used or the cluster does not answer.
    /// </summary>
    public async Task<DestinationCluster> ResolveAsync(AppIdentity app, ClusterRef cluster, CancellationToken ct)
    {
        if (cluster.IsInCluster)
        {
            await ReleaseAsync(app);
            return local;
        }
        Kubeconfig kubeconfig;
        try
        {
            kubeconfig = await secrets.ReadAsync(cluster, ct);
        }
        catch (ClusterCredentialsException e) when (!e.Transient)
        {
            // The Secret went or turned unusable: the Application no longer holds a connection made from it.
            await ReleaseAsync(app);
            throw;
        }
        var key = (cluster, kubeconfig.Digest);
        DestinationCluster target;
        Connection? abandoned;
        lock (_lock)
        {
            if (!_connections.TryGetValue(key, out var connection))
            {
                connection = new Connection(connect(cluster, kubeconfig), []);
                _connections[key] = connection;
                log.LogInformation("connecting to {Cluster} at {Server}", cluster, kubeconfig.Server);
            }
            abandoned = Untrack(app, except: key);
            connection.Apps.Add(app);
            _targets[app] = key;
            target = connection.Cluster;
        }
        await StopAsync(abandoned);
        if (target.Version is null || target.WatchesFailing) await ProbeAsync(target, ct);
        return target;
    }

    private async Task ProbeAsync(DestinationCluster target, CancellationToken ct)
    {
        try
        {
            await target.ProbeAsync(ct);
        }
        catch (KubeApiException e)
        {
            // A refused credential may have been rotated since it was read: read the Secret again next time.
            if (e.Code is 401 or 403) secrets.Invalidate(target.Ref);
            var why = e.Code == 0 ? e.Message : $"it answered {e.Code} {e.Reason}: {e.Message}";
            throw new ClusterCredentialsException("ClusterUnreachable", $"{target.Ref} at {target.Server} cannot be used: {why}", transient: true);
        }
    }

    /// <summary>The connection for the cluster the Application's spec names (<see cref="RefOf"/>, then <see cref="ResolveAsync(AppIdentity, ClusterRef, CancellationToken)"/>).</summary>
    public Task<DestinationCluster> ResolveAsync(Application app, CancellationToken ct) => ResolveAsync(app.Identity, RefOf(app), ct);

    /// <summary>The Application is gone (or back on the operator's own cluster): a connection no one uses any more is stopped.</summary>
    public async Task ReleaseAsync(AppIdentity app)
    {
        Connection? abandoned;
        lock (_lock) abandoned = Untrack(app, except: null);
        await StopAsync(abandoned);
    }

    private Connection? Untrack(AppIdentity app, (ClusterRef, string)? except)
    {
        if (!_targets.TryGetValue(app, out var before) || before.Equals(except)) return null;
        _targets.Remove(app);
        var connection = _connections[before];
        connection.Apps.Remove(app);
        if (connection.Apps.Count > 0) return null;
        _connections.Remove(before);
        return connection;
    }

    private async Task StopAsync(Connection? connection)
    {
        if (connection is null) return;
        log.LogInformation("no Application targets {Cluster} any more: its watches stop", connection.Cluster.Ref);
        await connection.Cluster.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        List<Connection> all;
        lock (_lock)
        {
            all = [.. _connections.Values];
            _connections.Clear();
            _targets.Clear();
        }
        foreach (var c in all) await c.Cluster.DisposeAsync();
    }
}
