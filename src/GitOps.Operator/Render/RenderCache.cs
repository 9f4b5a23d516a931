namespace GitOps.Operator.Render;

/// <summary>
/// Rendered output by (tree, path, renderer, parameters hash, decryption keys' digest). The tree is content-addressed (a
/// checkout directory named by its commit, a chart directory named by its archive's digest), so an
/// unchanged commit renders from here without starting any tool. Bounded by entries and bytes,
/// least recently used first out. A render with decryption keys (Helm values decrypted into it) is
/// keyed by their digest: an Application with other keys, or none, never gets it.
/// </summary>
public sealed class RenderCache(int maxEntries, long maxBytes)
{
    public readonly record struct Key(string Tree, string Path, string Renderer, string Parameters, string Decryption = "");

    private readonly Caching.BoundedLru<Key, IReadOnlyList<RenderedDocument>> _lru =
        new(maxEntries, maxBytes, documents => documents.Sum(d => (long)d.Text.Length * sizeof(char)));

    public int Count => _lru.Count;
    public long Hits => _lru.Hits;
    public long Misses => _lru.Misses;

    public bool TryGet(Key key, out IReadOnlyList<RenderedDocument> documents) => _lru.TryGet(key, out documents);

    public void Add(Key key, IReadOnlyList<RenderedDocument> documents) => _lru.Add(key, documents);
}

/// <summary>Serves a renderer's output from the <see cref="RenderCache"/>; failures are not cached (a fix in the tool or its config is picked up).</summary>
public sealed class CachingRenderer(IRenderer inner, string name, RenderCache cache) : IRenderer
{
    public async Task<IReadOnlyList<RenderedDocument>> RenderAsync(RenderRequest request, CancellationToken ct)
    {
        var key = new RenderCache.Key(Path.GetFullPath(request.RepositoryRoot), request.Path, name, RenderJson.ParametersHash(request), request.Decryption?.Digest ?? "");
        if (cache.TryGet(key, out var cached)) return cached;
        var documents = await inner.RenderAsync(request, ct);
        cache.Add(key, documents);
        return documents;
    }
}
