namespace GitOps.Engine.Health.Rules;

/// <summary>
/// A bounded cache that computes each value once and, when full, drops the least recently used entry.
/// The factory runs under the cache's lock: a key is never computed twice at the same time.
/// </summary>
internal sealed class LruCache<TKey, TValue>(int capacity, Func<TKey, TValue> factory) where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    public TValue GetOrAdd(TKey key)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Value;
            }
            var value = factory(key);
            if (_entries.Count >= capacity)
            {
                _entries.Remove(_recency.Last!.Value.Key);
                _recency.RemoveLast();
            }
            _entries[key] = _recency.AddFirst((key, value));
            return value;
        }
    }
}
