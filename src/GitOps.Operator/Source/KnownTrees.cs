using System.Collections.Concurrent;

namespace GitOps.Operator.Source;

/// <summary>
/// The trees this process has written or read, by (repository URL as the Application wrote it, commit): a no-op
/// reconcile takes its snapshot from here after one check that the tree still exists, instead of parsing and
/// hashing the URL and reading the tree's metadata file. A tree is marked used (its write time, which eviction
/// orders by) at most once a minute. The key is the same pair the tree directory is named by, so this hands out
/// nothing the disk lookup would not.
/// </summary>
internal sealed class KnownTrees(int capacity = 10_000)
{
    private const long TouchEveryMs = 60_000;

    private readonly ConcurrentDictionary<(string Url, string Commit), Known> _known = new();

    public SourceSnapshot? Get(string url, string commit)
    {
        if (!_known.TryGetValue((url, commit), out var known)) return null;
        if (!Directory.Exists(known.Snapshot.Directory))
        {
            _known.TryRemove((url, commit), out _);
            return null;
        }

        var now = Environment.TickCount64;
        var touched = Interlocked.Read(ref known.TouchedAt);
        if (now - touched >= TouchEveryMs && Interlocked.CompareExchange(ref known.TouchedAt, now, touched) == touched)
            CacheEvictor.Touch(known.Snapshot.Directory);
        return known.Snapshot;
    }

    public void Add(string url, string commit, SourceSnapshot snapshot)
    {
        if (_known.Count >= capacity) _known.Clear();
        _known[(url, commit)] = new Known(snapshot) { TouchedAt = Environment.TickCount64 };
    }

    private sealed class Known(SourceSnapshot snapshot)
    {
        public SourceSnapshot Snapshot { get; } = snapshot;

        public long TouchedAt;
    }
}
