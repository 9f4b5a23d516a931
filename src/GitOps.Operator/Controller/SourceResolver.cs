using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Operator.Source;

namespace GitOps.Operator.Controller;

/// <summary>
/// Stage 1 of a reconcile: the Git source. Resolves targetRevision to a commit with a remote ls at
/// most once per interval per repository and revision (a push webhook or the refresh annotation
/// makes it look again at once), reads credentials from the referenced Secret (cached), and
/// checks the commit out into the shared cache.
/// </summary>
public sealed class SourceResolver(IGitSource git, IKubeApi api, OperatorOptions options, TimeProvider time, Render.HelmChartSource? charts = null)
{
    private readonly ConcurrentDictionary<(string Url, string Revision), (string Commit, DateTimeOffset At)> _resolved = new();
    private readonly ConcurrentDictionary<(string Ns, string Name), (RepoCredentials? Credentials, DateTimeOffset At)> _secrets = new();
    private readonly ConcurrentDictionary<(string Url, string Revision), Task<string>> _resolving = new();

    /// <summary>Forgets resolved commits of a repository (a push arrived), so the next reconcile looks again.</summary>
    public void Invalidate(string repoUrl)
    {
        foreach (var key in _resolved.Keys.Where(k => Webhooks.RepoUrl.Same(k.Url, repoUrl))) _resolved.TryRemove(key, out _);
    }

    public async Task<SourceSnapshot> FetchAsync(string appNamespace, SourceSpecModel source, TimeSpan interval, bool forceResolve, string? pinnedRevision, CancellationToken ct)
    {
        var secretName = source.SecretRef?.Name is { Length: > 0 } n ? n : null;
        if (forceResolve && secretName is not null) _secrets.TryRemove((appNamespace, secretName), out _);
        var credentials = secretName is not null ? await CredentialsAsync(appNamespace, secretName, ct) : null;
        var revision = pinnedRevision ?? (string.IsNullOrWhiteSpace(source.TargetRevision) ? "HEAD" : source.TargetRevision);
        // spec.source.chart: repoURL is a Helm repository, targetRevision a chart version or range.
        if (!string.IsNullOrWhiteSpace(source.Chart) && charts is not null)
            return await charts.FetchAsync(source.RepoURL, source.Chart, revision, credentials, forceResolve, ct);
        var spec = new SourceSpec(source.RepoURL, revision, credentials);
        var key = (source.RepoURL, revision);
        var now = time.GetUtcNow();
        try
        {
            string commit;
            if (!forceResolve && _resolved.TryGetValue(key, out var known) && now - known.At < interval)
                commit = known.Commit;
            else if (forceResolve)
            {
                commit = await git.ResolveAsync(spec, ct);
                _resolved[key] = (commit, now);
            }
            else commit = await ResolveOnceAsync(key, spec, now, ct);
            return await git.CheckoutAsync(spec, commit, ct);
        }
        catch (SourceException e) when (e.Reason is SourceFailureReason.AuthenticationFailed or SourceFailureReason.HostKeyRejected && secretName is not null)
        {
            // Read the Secret again next time: someone is probably fixing it.
            _secrets.TryRemove((appNamespace, secretName), out _);
            throw;
        }
    }

    /// <summary>
    /// One remote ls for every Application that needs the same (repository, revision) at once: after
    /// a push webhook re-queues all the apps of a repository, the workers that take them together
    /// share the first one's answer instead of each asking the remote (the benchmark saw 4-5 ls per push).
    /// </summary>
    private async Task<string> ResolveOnceAsync((string Url, string Revision) key, SourceSpec spec, DateTimeOffset now, CancellationToken ct)
    {
        var mine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _resolving.GetOrAdd(key, mine.Task);
        if (running != mine.Task) return await running.WaitAsync(ct);
        try
        {
            var commit = await git.ResolveAsync(spec, ct);
            _resolved[key] = (commit, now);
            mine.SetResult(commit);
            return commit;
        }
        catch (Exception e)
        {
            mine.SetException(e);
            _ = mine.Task.Exception; // observed here; a waiter gets it too
            throw;
        }
        finally
        {
            _resolving.TryRemove(KeyValuePair.Create(key, mine.Task));
        }
    }

    private async Task<RepoCredentials?> CredentialsAsync(string ns, string name, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_secrets.TryGetValue((ns, name), out var cached) && now - cached.At < options.SecretCacheTtl) return cached.Credentials;
        var secret = await api.GetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets/{Uri.EscapeDataString(name)}", ct)
            ?? throw new SourceException(SourceFailureReason.InvalidSpec, $"the credentials Secret {ns}/{name} named by spec.source.secretRef does not exist");
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret["data"] is JsonObject d)
            foreach (var (k, v) in d)
                if (v is JsonValue s && s.TryGetValue<string>(out var b64))
                {
                    try { data[k] = Convert.FromBase64String(b64); }
                    catch (FormatException) { }
                }
        var credentials = RepoCredentials.FromSecretData(data);
        _secrets[(ns, name)] = (credentials, now);
        return credentials;
    }
}
