using System.Collections.Concurrent;
using System.Diagnostics;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Operator.Source;

/// <summary>
/// The Git source stage (step 1 of a reconcile). <see cref="ResolveAsync"/> lists the remote's refs
/// (no fetch) to learn the commit, and so proves the credentials are accepted. <see cref="CheckoutAsync"/> fetches into one bare repository per
/// normalised URL, shared by every Application and guarded by a per-URL async lock, only when the
/// commit is not already there, then writes the commit's tree into <c>trees/&lt;sha&gt;-&lt;repository hash&gt;</c> once
/// and reuses it. Use one instance per cache directory (the locks live in the instance).
/// Transports: HTTP(S) and local paths through libgit2; SSH through the git CLI (<see cref="GitCli"/>).
/// </summary>
public sealed class GitSource(GitSourceOptions options, ILogger<GitSource>? logger = null) : IGitSource, IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _repoLocks = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _evictionGate = new(1, 1);
    private readonly CacheEvictor _cache = new(options.CacheDirectory, options.MaxCacheBytes);
    private readonly ILogger _log = (ILogger?)logger ?? NullLogger.Instance;
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = options.Timeouts.Resolve })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly TimeSpan? _stall = LibGit2ServerTimeout.Apply(options.Timeouts.Stall);
    private int _fetches;
    private readonly KnownTrees _known = new();

    public GitSourceOptions Options => options;

    /// <summary>Removes half-written trees an earlier process left (killed mid-write); repositories are cleaned before each fetch.</summary>
    public int RemoveLeftovers()
    {
        try
        {
            return FetchLeftovers.RemoveFromTrees(_cache.TreesDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Cannot clean the source cache: {Error}", e.Message);
            return 0;
        }
    }

    /// <summary>How many fetches this instance has run (a metric and a test hook).</summary>
    public int FetchCount => Volatile.Read(ref _fetches);

    private long _linkedFiles;

    /// <summary>Tree files hard-linked from a tree already written (another commit of the repository, or the same blob earlier in the tree) instead of written.</summary>
    public long LinkedFileCount => Interlocked.Read(ref _linkedFiles);

    /// <summary>Whether a fetch or tree write holds the cache lock of <paramref name="repoUrl"/> now (a test hook).</summary>
    internal bool IsRepositoryLocked(string repoUrl) =>
        _repoLocks.TryGetValue(RepoUrl.Parse(repoUrl).CacheKey, out var gate) && gate.CurrentCount == 0;

    public async Task<string> ResolveAsync(SourceSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var url = RepoUrl.Parse(spec.RepoUrl);
        var revision = spec.TargetRevision?.Trim();
        var credentials = spec.Credentials ?? url.UrlCredentials;
        // Even a full SHA is listed: the listing is what proves these credentials may read the
        // repository before a tree cached for someone else's credentials is handed out.
        var refs = await ListRefsAsync(url, credentials, ct);
        if (RemoteRefs.IsFullSha(revision)) return revision!.ToLowerInvariant();
        var sha = refs.Resolve(revision);
        if (sha is null)
        {
            throw SourceErrors.Create(SourceFailureReason.RevisionNotFound, url,
                $"revision '{(string.IsNullOrEmpty(revision) ? "HEAD" : revision)}' not found", credentials,
                refs.Refs.Count == 0 ? "the repository has no refs" : "no branch or tag of that name");
        }

        _log.LogDebug("Resolved {Repo}@{Revision} to {Commit}", url.Display, revision, sha);
        return sha;
    }

    public async Task<SourceSnapshot> CheckoutAsync(SourceSpec spec, string commit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_known.Get(spec.RepoUrl, commit) is { } known) return known;
        var url = RepoUrl.Parse(spec.RepoUrl);
        if (!RemoteRefs.IsFullSha(commit))
        {
            throw SourceErrors.Create(SourceFailureReason.InvalidSpec, url, $"'{commit}' is not a full 40-hex commit SHA", spec.Credentials);
        }

        var asked = commit;
        commit = commit.ToLowerInvariant();
        var treeDirectory = Path.Combine(_cache.TreesDirectory, url.TreeKey(commit));
        if (TreeMaterializer.TryRead(treeDirectory) is { } cached)
        {
            CacheEvictor.Touch(treeDirectory);
            _known.Add(spec.RepoUrl, asked, cached);
            return cached;
        }

        var credentials = spec.Credentials ?? url.UrlCredentials;
        var repoDirectory = Path.Combine(_cache.ReposDirectory, url.CacheKey);
        var gate = _repoLocks.GetOrAdd(url.CacheKey, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        var releaseGate = true;
        SourceSnapshot snapshot;
        try
        {
            if (TreeMaterializer.TryRead(treeDirectory) is { } madeMeanwhile)
            {
                CacheEvictor.Touch(treeDirectory);
                return madeMeanwhile;
            }

            await RunBlockingAsync(() => EnsureRepository(repoDirectory, url), options.Timeouts.Materialize, url, credentials, "cannot open the cache", SourceFailureReason.CheckoutFailed, ct);
            CacheEvictor.Touch(repoDirectory);
            if (!await RunBlockingAsync(() => HasCommit(repoDirectory, commit), options.Timeouts.Materialize, url, credentials, "cannot read the cache", SourceFailureReason.CheckoutFailed, ct))
            {
                var leftovers = await RunBlockingAsync(() => FetchLeftovers.RemoveFromRepository(repoDirectory), options.Timeouts.Materialize, url, credentials, "cannot clean the cache", SourceFailureReason.CheckoutFailed, ct);
                if (leftovers > 0) _log.LogInformation("Removed {Count} leftovers of an earlier fetch of {Repo}", leftovers, url.Display);
                _log.LogInformation("Fetching {Repo} for {Commit}", url.Display, commit);
                Interlocked.Increment(ref _fetches);
                if (url.Transport == RepoTransport.Ssh)
                {
                    await GitCli.FetchAsync(repoDirectory, url, credentials, options.Timeouts.Fetch, ct);
                }
                else if (await FetchWithLibGit2Async(repoDirectory, url, credentials, gate, ct) is { } outlived)
                {
                    // The fetch runs on past its deadline and releases the lock when it ends: until then no
                    // other fetch may clean up its temp pack or write the same repository.
                    releaseGate = false;
                    throw outlived;
                }

                if (!await RunBlockingAsync(() => HasCommit(repoDirectory, commit), options.Timeouts.Materialize, url, credentials, "cannot read the cache", SourceFailureReason.CheckoutFailed, ct))
                {
                    throw SourceErrors.Create(SourceFailureReason.RevisionNotFound, url, $"commit {commit} not found",
                        credentials, "it is not reachable from any branch or tag of the remote");
                }
            }

            snapshot = await RunBlockingAsync(
                () =>
                {
                    using var repo = new Repository(repoDirectory);
                    var found = TreeMaterializer.FindCommit(repo, commit)!;
                    var started = Stopwatch.GetTimestamp();
                    var (written, linked) = TreeMaterializer.Write(found, treeDirectory, TreeMaterializer.FindLinkBase(repo, treeDirectory), ct);
                    Interlocked.Add(ref _linkedFiles, linked);
                    _log.LogInformation("Wrote the tree of {Repo} at {Commit} in {Milliseconds} ms: {Entries} entries, {Linked} files linked from a tree already written",
                        url.Display, commit, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, written.Shape?.Entries, linked);
                    return written;
                },
                options.Timeouts.Materialize, url, credentials, "cannot write the tree", SourceFailureReason.CheckoutFailed, ct);
        }
        finally
        {
            if (releaseGate) gate.Release();
        }

        EvictBeyondBound(snapshot.Directory, repoDirectory);
        _known.Add(spec.RepoUrl, asked, snapshot);
        return snapshot;
    }

    /// <summary>Runs eviction now (it also runs after every new tree); returns how many entries went.</summary>
    public int EvictNow() => EvictBeyondBound();

    public void Dispose()
    {
        _http.Dispose();
        _evictionGate.Dispose();
    }

    private int EvictBeyondBound(params string[] keep)
    {
        if (!_evictionGate.Wait(0)) return 0;
        try
        {
            var deleted = _cache.Evict(keep.ToHashSet(StringComparer.Ordinal), (key, delete) =>
            {
                var gate = _repoLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
                if (!gate.Wait(0)) return false;
                try
                {
                    delete();
                    return true;
                }
                finally
                {
                    gate.Release();
                }
            });
            if (deleted > 0) _log.LogInformation("Evicted {Count} cache entries to stay under {MaxBytes} bytes", deleted, options.MaxCacheBytes);
            return deleted;
        }
        catch (IOException e)
        {
            _log.LogWarning("Cache eviction failed: {Error}", e.Message);
            return 0;
        }
        finally
        {
            _evictionGate.Release();
        }
    }

    private async Task<RemoteRefs> ListRefsAsync(RepoUrl url, RepoCredentials? credentials, CancellationToken ct)
    {
        if (url.Transport == RepoTransport.Ssh)
        {
            return await GitCli.ListRefsAsync(url, credentials, options.Timeouts.Resolve, ct);
        }

        if (url.Transport == RepoTransport.Http && credentials?.BearerToken is not null)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.Timeouts.Resolve);
            try
            {
                return await SmartHttpRefs.ListAsync(_http, url, credentials, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw SourceErrors.Create(SourceFailureReason.Timeout, url, $"cannot list references: no answer within {options.Timeouts.Resolve.TotalSeconds:0.#}s", credentials);
            }
        }

        return await RunBlockingAsync(() => InterruptedCallRetry.Run(() => LibGit2Remote.ListRefs(url, credentials)), options.Timeouts.Resolve, url, credentials, "cannot list references", SourceFailureReason.FetchFailed, ct);
    }

    /// <returns>
    /// Null when the fetch ended (a failed one throws). When it outlived its deadline (or the caller gave up), the
    /// error to throw: the fetch still runs, and now owns the lock, which it releases when it really ends.
    /// </returns>
    private async Task<Exception?> FetchWithLibGit2Async(string repoDirectory, RepoUrl url, RepoCredentials? credentials, SemaphoreSlim gate, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeouts.Fetch);
        var token = deadline.Token;
        var fetch = Task.Run(() => InterruptedCallRetry.Run(() => LibGit2Remote.Fetch(repoDirectory, url, credentials, token)), CancellationToken.None);
        try
        {
            await fetch.WaitAsync(options.Timeouts.Fetch, ct);
            return null;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException && !fetch.IsCompleted)
        {
            // libgit2 cannot be interrupted while connecting or reading: keep the repository locked until it
            // gives up, which its server timeout (Timeouts.Stall) bounds when the server hangs.
            if (_stall is null) _log.LogWarning("A fetch of {Repo} outlived its deadline and libgit2's server timeout could not be set: its cache stays locked until the fetch ends", url.Display);
            _ = fetch.ContinueWith(_ => gate.Release(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return ct.IsCancellationRequested
                ? new OperationCanceledException(ct)
                : SourceErrors.Create(SourceFailureReason.Timeout, url, $"fetch: no answer within {options.Timeouts.Fetch.TotalSeconds:0.#}s", credentials);
        }
        catch (LibGit2SharpException e)
        {
            ct.ThrowIfCancellationRequested();
            if (token.IsCancellationRequested)
            {
                throw SourceErrors.Create(SourceFailureReason.Timeout, url, $"fetch: not done within {options.Timeouts.Fetch.TotalSeconds:0.#}s", credentials);
            }

            throw SourceErrors.Create(SourceErrors.Classify(e.Message, SourceFailureReason.FetchFailed), url, "fetch failed", credentials, e.Message);
        }
    }

    private static async Task<T> RunBlockingAsync<T>(Func<T> work, TimeSpan timeout, RepoUrl url, RepoCredentials? credentials, string what, SourceFailureReason fallback, CancellationToken ct)
    {
        try
        {
            return await Task.Run(work, CancellationToken.None).WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            throw SourceErrors.Create(SourceFailureReason.Timeout, url, $"{what}: no answer within {timeout.TotalSeconds:0.#}s", credentials);
        }
        catch (LibGit2SharpException e)
        {
            throw SourceErrors.Create(SourceErrors.Classify(e.Message, fallback), url, what, credentials, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw SourceErrors.Create(SourceErrors.IsCacheUnwritable(e.Message) ? SourceFailureReason.CacheUnwritable : fallback, url, what, credentials, e.Message);
        }
    }

    private static bool EnsureRepository(string repoDirectory, RepoUrl url)
    {
        if (!Repository.IsValid(repoDirectory))
        {
            if (Directory.Exists(repoDirectory)) Directory.Delete(repoDirectory, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(repoDirectory)!);
            Repository.Init(repoDirectory, isBare: true);
        }

        using var repo = new Repository(repoDirectory);
        LibGit2Remote.EnsureOrigin(repo, url.TransportUrl);
        return true;
    }

    private static bool HasCommit(string repoDirectory, string commit)
    {
        using var repo = new Repository(repoDirectory);
        return repo.ObjectDatabase.Contains(new ObjectId(commit)) && TreeMaterializer.FindCommit(repo, commit) is not null;
    }
}
