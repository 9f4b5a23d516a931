using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace GitOps.Sandbox.Store;

/// <summary>
/// The sandbox's etcd: objects by key, one global resourceVersion counter, and a bounded history
/// of changes for watches. Every read-modify-write runs inside <see cref="Transact{T}"/> under one
/// lock, so concurrent writers serialise exactly as etcd transactions would.
/// </summary>
public sealed class ObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<GroupResource, ResourceObjects> _objects = new();
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly List<Channel<StoreEvent>> _subscribers = [];
    private readonly Dictionary<Channel<StoreEvent>, Func<ObjectKey, bool>> _interests = [];
    private readonly HashSet<Channel<StoreEvent>> _durable = [];
    private long _revision = 1;
    private long _compactedThrough;

    public ObjectStore(int historyLimit = 50_000) => HistoryLimit = historyLimit;

    public int HistoryLimit { get; }

    public long Revision { get { lock (_gate) return _revision; } }

    /// <summary>Runs <paramref name="work"/> atomically against the store.</summary>
    public T Transact<T>(Func<Transaction, T> work)
    {
        lock (_gate) return work(new Transaction(this));
    }

    /// <summary>A deep copy of the object at <paramref name="key"/>, or null.</summary>
    public JsonObject? Get(ObjectKey key) => Transact(tx => tx.Peek(key)?.DeepClone().AsObject());

    /// <summary>Copies of every object of a resource (in one namespace, or all when null), in key order, and the revision they were read at.</summary>
    public (List<JsonObject> Items, long Revision) List(GroupResource resource, string? ns) => Transact(tx =>
        (tx.Scan(resource, ns).Select(o => o.DeepClone().AsObject()).ToList(), _revision));

    /// <summary>Forgets history so that watches from older resourceVersions get 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _revision;
        }
    }

    /// <summary>
    /// Subscribes to changes after <paramref name="fromRevision"/>: replays retained history and
    /// then follows live changes. Returns null when that revision was compacted away (410 Gone).
    /// </summary>
    public Subscription? Subscribe(long fromRevision, Func<ObjectKey, bool> interest, bool durable = false)
    {
        lock (_gate)
        {
            if (fromRevision < _compactedThrough) return null;
            var channel = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });
            foreach (var e in _history)
                if (e.ResourceVersion > fromRevision && interest(e.Key)) channel.Writer.TryWrite(e);
            _subscribers.Add(channel);
            _interests[channel] = interest;
            if (durable) _durable.Add(channel);
            return new Subscription(this, channel);
        }
    }

    /// <summary>Ends every open subscription but the durable ones (the sandbox's own controllers), as when an apiserver restarts.</summary>
    public void CloseAllSubscriptions()
    {
        lock (_gate)
        {
            foreach (var s in _subscribers.Where(s => !_durable.Contains(s)))
            {
                s.Writer.TryComplete();
                _interests.Remove(s);
            }
            _subscribers.RemoveAll(s => !_durable.Contains(s));
        }
    }

    private void Unsubscribe(Channel<StoreEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
            _interests.Remove(channel);
            _durable.Remove(channel);
        }
        channel.Writer.TryComplete();
    }

    public sealed class Subscription(ObjectStore store, Channel<StoreEvent> channel) : IDisposable
    {
        public ChannelReader<StoreEvent> Events => channel.Reader;

        public void Dispose() => store.Unsubscribe(channel);
    }

    /// <summary>The operations allowed inside <see cref="Transact{T}"/>.</summary>
    public readonly struct Transaction(ObjectStore store)
    {
        public long Revision => store._revision;

        /// <summary>The stored object itself: read it, never change it.</summary>
        public JsonObject? Peek(ObjectKey key) =>
            store._objects.TryGetValue(key.Resource, out var objects) && objects.TryGet(key, out var o) ? o : null;

        public IEnumerable<JsonObject> Scan(GroupResource resource, string? ns) =>
            store._objects.TryGetValue(resource, out var objects) ? objects.In(ns).Select(kv => kv.Value) : [];

        public IEnumerable<ObjectKey> Keys(GroupResource resource, string? ns) =>
            store._objects.TryGetValue(resource, out var objects) ? objects.In(ns).Select(kv => kv.Key).ToList() : [];

        /// <summary>Stores <paramref name="obj"/> (now owned by the store) with the next resourceVersion.</summary>
        public JsonObject Put(ObjectKey key, JsonObject obj)
        {
            var previous = Peek(key);
            var rv = ++store._revision;
            SetResourceVersion(obj, rv);
            if (!store._objects.TryGetValue(key.Resource, out var objects))
                store._objects[key.Resource] = objects = new ResourceObjects();
            objects.Set(key, obj);
            store.Publish(new StoreEvent(rv, previous is null ? StoreEventType.Added : StoreEventType.Modified, key, previous, obj));
            return obj;
        }

        /// <summary>Removes the object; the DELETED event carries its last state with a new resourceVersion.</summary>
        public JsonObject? Remove(ObjectKey key)
        {
            var previous = Peek(key);
            if (previous is null) return null;
            store._objects[key.Resource].Remove(key);
            var rv = ++store._revision;
            var tombstone = previous.DeepClone().AsObject();
            Meta(tombstone)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            store.Publish(new StoreEvent(rv, StoreEventType.Deleted, key, previous, tombstone));
            return tombstone;
        }

        /// <summary>Sets metadata.resourceVersion where Go writes it: right after uid.</summary>
        private static void SetResourceVersion(JsonObject obj, long rv)
        {
            var meta = Meta(obj);
            var value = rv.ToString(CultureInfo.InvariantCulture);
            if (meta.ContainsKey("resourceVersion") || !meta.ContainsKey("uid"))
            {
                meta["resourceVersion"] = value;
                return;
            }
            var entries = meta.ToList();
            meta.Clear();
            foreach (var (k, v) in entries)
            {
                meta[k] = v;
                if (k == "uid") meta["resourceVersion"] = value;
            }
        }

        private static JsonObject Meta(JsonObject obj) =>
            obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());
    }

    private void Publish(StoreEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > HistoryLimit)
        {
            _compactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var s in _subscribers)
            if (_interests[s](e.Key)) s.Writer.TryWrite(e);
    }
}
