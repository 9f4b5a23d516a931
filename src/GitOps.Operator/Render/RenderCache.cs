namespace GitOps.Operator.Render;

/// <summary>
/// Rendered output by (tree, path, renderer, parameters hash). The tree is content-addressed (a
/// checkout directory named by its commit, a chart directory named by its archive's digest), so an
/// unchanged commit renders from here without starting any tool. Bounded by entries and bytes,
/// least recently used first out.
/// </summary>
public sealed class RenderCache(int maxEntries, long maxBytes)
{
    public readonly record struct Key(string Tree, string Path, string Renderer, string Parameters);

    private sealed record Entry(IReadOnlyList<RenderedDocument> Documents, long Bytes, LinkedListNode<Key> Node);

    private readonly Dictionary<Key, Entry> _entries = [];
    private readonly LinkedList<Key> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public int Count { get { lock (_lock) return _entries.Count; } }
    public long Hits { get; private set; }
    public long Misses { get; private set; }

    public bool TryGet(Key key, out IReadOnlyList<RenderedDocument> documents)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                _order.Remove(e.Node);
                _order.AddFirst(e.Node);
                Hits++;
                documents = e.Documents;
                return true;
            }
            Misses++;
            documents = [];
            return false;
        }
    }

    public void Add(Key key, IReadOnlyList<RenderedDocument> documents)
    {
        var bytes = documents.Sum(d => (long)d.Text.Length * sizeof(char));
        if (bytes > maxBytes) return;
        lock (_lock)
        {
            if (_entries.Remove(key, out var old))
            {
                _order.Remove(old.Node);
                _bytes -= old.Bytes;
            }
            var node = _order.AddFirst(key);
            _entries[key] = new Entry(documents, bytes, node);
            _bytes += bytes;
            while (_entries.Count > maxEntries || _bytes > maxBytes)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _bytes -= _entries[last.Value].Bytes;
                _entries.Remove(last.Value);
            }
        }
    }
}

/// <summary>Serves a renderer's output from the <see cref="RenderCache"/>; failures are not cached (a fix in the tool or its config is picked up).</summary>
public sealed class CachingRenderer(IRenderer inner, string name, RenderCache cache) : IRenderer
{
    public async Task<IReadOnlyList<RenderedDocument>> RenderAsync(RenderRequest request, CancellationToken ct)
    {
        var key = new RenderCache.Key(Path.GetFullPath(request.RepositoryRoot), request.Path, name, RenderJson.ParametersHash(request));
        if (cache.TryGet(key, out var cached)) return cached;
        var documents = await inner.RenderAsync(request, ct);
        cache.Add(key, documents);
        return documents;
    }
}
