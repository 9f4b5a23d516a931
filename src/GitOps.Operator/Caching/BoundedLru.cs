namespace GitOps.Operator.Caching;

/// <summary>
/// A cache bounded by entries and by bytes (as <paramref name="sizeOf"/> counts them), least recently
/// used out first; an entry larger than the whole byte bound is not kept. Thread-safe.
/// </summary>
public sealed class BoundedLru<TKey, TValue>(int maxEntries, long maxBytes, Func<TValue, long> sizeOf) where TKey : notnull
{
    private sealed record Entry(TValue Value, long Bytes, LinkedListNode<TKey> Node);

    private readonly Dictionary<TKey, Entry> _entries = [];
    private readonly LinkedList<TKey> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public int Count { get { lock (_lock) return _entries.Count; } }
    public long Bytes { get { lock (_lock) return _bytes; } }
    public long Hits { get; private set; }
    public long Misses { get; private set; }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                _order.Remove(e.Node);
                _order.AddFirst(e.Node);
                Hits++;
                value = e.Value;
                return true;
            }
            Misses++;
            value = default!;
            return false;
        }
    }

    public bool Contains(TKey key)
    {
        lock (_lock) return _entries.ContainsKey(key);
    }

    public void Remove(TKey key)
    {
        lock (_lock)
        {
            if (!_entries.Remove(key, out var old)) return;
            _order.Remove(old.Node);
            _bytes -= old.Bytes;
        }
    }

    public void Add(TKey key, TValue value)
    {
        var bytes = sizeOf(value);
        if (bytes > maxBytes) return;
        lock (_lock)
        {
            if (_entries.Remove(key, out var old))
            {
                _order.Remove(old.Node);
                _bytes -= old.Bytes;
            }
            _entries[key] = new Entry(value, bytes, _order.AddFirst(key));
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
