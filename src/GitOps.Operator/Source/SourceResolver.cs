using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using GitOps.Operator.Source;

namespace GitOps.Operator.Source;

/// <summary>
/// Stage 1 of a reconcile: the Git source. Reads the credentials from the referenced Secret at every
/// reconcile (a changed or deleted Secret counts at once), resolves targetRevision to a commit with a
/// remote ls at most once per interval per (repository, revision, credentials) (a push webhook or the
/// refresh annotation makes it look again at once), and checks the commit out into the shared cache.
/// A cached commit or tree is only handed to an Application whose own credentials the remote accepted:
/// the resolve cache is keyed by <see cref="CredentialIdentity"/>, and even a full SHA is listed.
/// </summary>
public sealed class SourceResolver(IGitSource git, IKubeApi api, TimeProvider time, HelmChartSource? charts = null)
{
    private readonly ConcurrentDictionary<ResolveKey, (string Commit, DateTimeOffset At)> _resolved = new();
    private readonly ConcurrentDictionary<ResolveKey, Task<string>> _resolving = new();

    /// <summary>Forgets resolved commits of a repository (a push arrived), so the next reconcile looks again.</summary>
    public void Invalidate(string repoUrl)
    {
        foreach (var key in _resolved.Keys.Where(k => RepoUrl.Same(k.Url, repoUrl))) _resolved.TryRemove(key, out _);
    }

    /// <param name="resolvedNotBefore">Accept a cached resolution only if it was made at or after this time (a new or changed Application).</param>
    public async Task<SourceSnapshot> FetchAsync(string appNamespace, SourceSpecModel source, TimeSpan interval, bool forceResolve, string? pinnedRevision, CancellationToken ct,
        DateTimeOffset? resolvedNotBefore = null)
    {
        var secretName = source.SecretRef?.Name is { Length: > 0 } n ? n : null;
        var credentials = secretName is not null ? await CredentialsAsync(appNamespace, secretName, ct) : null;
        var revision = pinnedRevision ?? (string.IsNullOrWhiteSpace(source.TargetRevision) ? "HEAD" : source.TargetRevision);
        try
        {
            // spec.source.chart: repoURL is a Helm repository, targetRevision a chart version or range.
            if (!string.IsNullOrWhiteSpace(source.Chart) && charts is not null)
                return await charts.FetchAsync(source.RepoURL, source.Chart, revision, credentials, forceResolve, ct);
            var spec = new SourceSpec(source.RepoURL, revision, credentials);
            var key = new ResolveKey(source.RepoURL, revision, CredentialIdentity.Of(credentials));
            var now = time.GetUtcNow();
            string commit;
            if (!forceResolve && _resolved.TryGetValue(key, out var known) && now - known.At < interval && (resolvedNotBefore is null || known.At >= resolvedNotBefore))
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
            throw new SourceException(e.Reason, $"{e.Message} (the {credentials!.Kind} from Secret {appNamespace}/{secretName} was refused)");
        }
    }

    /// <summary>What a resolved commit is cached under: never shared between different credentials.</summary>
    private readonly record struct ResolveKey(string Url, string Revision, string Credentials);

    /// <summary>
    /// One remote ls for every Application that needs the same (repository, revision) at once: after
    /// a push webhook re-queues all the apps of a repository, the workers that take them together
    /// share the first one's answer instead of each asking the remote (the benchmark saw 4-5 ls per push).
    /// </summary>
    private async Task<string> ResolveOnceAsync(ResolveKey key, SourceSpec spec, DateTimeOffset now, CancellationToken ct)
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

    private async Task<RepoCredentials> CredentialsAsync(string ns, string name, CancellationToken ct)
    {
        var secret = await api.GetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets/{Uri.EscapeDataString(name)}", ct)
            ?? throw new SourceException(SourceFailureReason.CredentialsUnusable, $"the credentials Secret {ns}/{name} named by spec.source.secretRef does not exist");
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret["data"] is JsonObject d)
            foreach (var (k, v) in d)
                if (v is JsonValue s && s.TryGetValue<string>(out var b64))
                {
                    try { data[k] = Convert.FromBase64String(b64); }
                    catch (FormatException) { }
                }
        var credentials = RepoCredentials.FromSecretData(data);
        if (credentials.IsAnonymous)
            throw new SourceException(SourceFailureReason.CredentialsUnusable,
                $"the credentials Secret {ns}/{name} named by spec.source.secretRef has none of the keys username, password, bearerToken, sshPrivateKey");
        return credentials;
    }
}
