using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Cluster.Remote;

/// <summary>
/// Reads a destination cluster's kubeconfig from its Secret with the operator's own rights: a registered
/// cluster's from the operator's namespace (it must carry the registration label), a secretRef's from the
/// Application's own namespace only, so one tenant never reaches another's credentials. Each read is kept
/// for <see cref="ClusterOptions.CredentialsTtl"/> (a no-op resync makes no request), keyed by namespace,
/// name and key; a rotated kubeconfig counts within that time, or at once after an authentication failure.
/// </summary>
public sealed class ClusterSecrets(IKubeApi api, ClusterOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<ClusterRef, (Kubeconfig Config, DateTimeOffset ReadAt)> _read = new();

    public async Task<Kubeconfig> ReadAsync(ClusterRef cluster, CancellationToken ct)
    {
        if (_read.TryGetValue(cluster, out var known) && time.GetUtcNow() - known.ReadAt < options.CredentialsTtl) return known.Config;
        var config = await ReadUncachedAsync(cluster, ct);
        _read[cluster] = (config, time.GetUtcNow());
        return config;
    }

    /// <summary>Forgets a kubeconfig read before (the cluster refused it): the next use reads the Secret again.</summary>
    public void Invalidate(ClusterRef cluster) => _read.TryRemove(cluster, out _);

    private async Task<Kubeconfig> ReadUncachedAsync(ClusterRef cluster, CancellationToken ct)
    {
        var shown = cluster.Kind == ClusterRefKind.Registered
            ? $"registered cluster {cluster.Name} (Secret {cluster.SecretNamespace}/{cluster.SecretName})"
            : $"Secret {cluster.SecretNamespace}/{cluster.SecretName}";
        JsonObject? secret;
        try
        {
            secret = await api.GetAsync($"/api/v1/namespaces/{cluster.SecretNamespace}/secrets/{cluster.SecretName}", ct);
        }
        catch (KubeApiException e) when (e.Code == 403)
        {
            throw new ClusterCredentialsException("ClusterSecretMissing", $"{shown} cannot be read: the operator is forbidden to get it");
        }
        catch (KubeApiException e) when (e.IsTransient)
        {
            throw new ClusterCredentialsException("ClusterSecretMissing", $"{shown} cannot be read now: {e.Message}", transient: true);
        }
        if (secret is null)
            throw new ClusterCredentialsException("ClusterSecretMissing", cluster.Kind == ClusterRefKind.Registered
                ? $"no cluster named {cluster.Name} is registered ({shown} does not exist; gitops cluster add {cluster.Name} --kubeconfig FILE)"
                : $"{shown} named by spec.destination.cluster.secretRef does not exist");
        if (cluster.Kind == ClusterRefKind.Registered && (string?)secret["metadata"]?["labels"]?[ClusterRegistration.NameLabel] != cluster.Name)
            throw new ClusterCredentialsException("ClusterSecretMissing", $"{shown} is not a cluster registration (it lacks the label {ClusterRegistration.NameLabel}: {cluster.Name})");
        var data = secret["data"] as JsonObject;
        if ((string?)data?[cluster.Key] is not { Length: > 0 } encoded)
            throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown} has no entry \"{cluster.Key}\" holding a kubeconfig");
        string text;
        string? context;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            context = (string?)data?["context"] is { Length: > 0 } c ? Encoding.UTF8.GetString(Convert.FromBase64String(c)) : null;
        }
        catch (FormatException) { throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown}: an entry is not base64"); }
        return KubeconfigReader.Read(text, context, options.AllowExec, shown);
    }
}
