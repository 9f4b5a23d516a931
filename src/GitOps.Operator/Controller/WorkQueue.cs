using System.Threading.Channels;

namespace GitOps.Operator.Controller;

/// <summary>
/// A work queue with client-go's guarantees: an item queued twice is processed once; an item is
/// never processed by two workers at once (a change while processing marks it dirty, and it is
/// queued again when <see cref="Done"/> is called); delayed and rate-limited adds. An urgent add
/// (controller-runtime's priority queue, two levels) goes ahead of every item queued normally, behind
/// other urgent ones; an item already queued normally moves up, and one being processed is queued
/// again as urgent when it is done.
/// </summary>
public sealed class WorkQueue<T> : IDisposable where T : notnull
{
    private readonly object _gate = new();
    private readonly LinkedList<T> _urgent = new();
    private readonly LinkedList<T> _queue = new();
    private readonly Dictionary<T, (LinkedListNode<T> Node, long QueuedAt)> _queued = [];
    private readonly HashSet<T> _urgentWhenDone = [];
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, (DateTimeOffset At, ITimer Timer)> _waiting = [];
    private readonly Channel<bool> _signal = Channel.CreateUnbounded<bool>();
    private readonly IRateLimiter<T> _limiter;
    private readonly TimeProvider _time;
    private bool _shutDown;

    public WorkQueue(IRateLimiter<T> limiter, TimeProvider time)
    {
        _limiter = limiter;
        _time = time;
    }

    /// <summary>Called when a worker takes an item, with how long it waited in the queue (for metrics).</summary>
    public Action<TimeSpan>? OnTaken { get; set; }

    /// <summary>Items queued and not yet handed to a worker.</summary>
    public int Length
    {
        get { lock (_gate) return _queued.Count; }
    }

    /// <summary>Items waiting for a delay to pass.</summary>
    public int Waiting
    {
        get { lock (_gate) return _waiting.Count; }
    }

    public void Add(T item) => Add(item, urgent: false);

    /// <summary>Queues the item; an urgent one goes ahead of every item queued normally.</summary>
    public void Add(T item, bool urgent)
    {
        lock (_gate)
        {
            if (_shutDown) return;
            var fresh = _dirty.Add(item);
            if (_processing.Contains(item))
            {
                if (urgent) _urgentWhenDone.Add(item);
                return;
            }
            if (!fresh)
            {
                if (urgent && _queued.TryGetValue(item, out var queued)) Promote(queued.Node);
                return;
            }
            Enqueue(item, urgent);
        }
        _signal.Writer.TryWrite(true);
    }

    private void Enqueue(T item, bool urgent) => _queued[item] = ((urgent ? _urgent : _queue).AddLast(item), _time.GetTimestamp());

    /// <summary>A normally queued item moves behind the urgent ones.</summary>
    private void Promote(LinkedListNode<T> node)
    {
        if (node.List == _urgent) return;
        _queue.Remove(node);
        _urgent.AddLast(node);
    }

    /// <summary>Adds the item after a delay; an earlier pending delay for it wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }
        lock (_gate)
        {
            if (_shutDown) return;
            var at = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var existing))
            {
                if (existing.At <= at) return;
                existing.Timer.Dispose();
            }
            var timer = _time.CreateTimer(_ => Fire(item, at), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[item] = (at, timer);
        }
    }

    private void Fire(T item, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_waiting.TryGetValue(item, out var w) || w.At != at) return;
            _waiting.Remove(item);
            w.Timer.Dispose();
        }
        Add(item);
    }

    public void AddRateLimited(T item) => AddAfter(item, _limiter.When(item));

    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);

    /// <summary>The next item to process, or default when the queue is shut down.</summary>
    public async ValueTask<(bool Ok, T Item)> GetAsync(CancellationToken ct)
    {
        while (true)
        {
            lock (_gate)
            {
                if ((_urgent.First ?? _queue.First) is { } node)
                {
                    var item = node.Value;
                    node.List!.Remove(node);
                    _queued.Remove(item, out var queued);
                    _dirty.Remove(item);
                    _processing.Add(item);
                    OnTaken?.Invoke(_time.GetElapsedTime(queued.QueuedAt));
                    return (true, item);
                }
                if (_shutDown) return (false, default!);
            }
            try
            {
                if (!await _signal.Reader.WaitToReadAsync(ct)) return (false, default!);
                _signal.Reader.TryRead(out _);
            }
            catch (OperationCanceledException)
            {
                return (false, default!);
            }
        }
    }

    /// <summary>Ends processing of an item; if it changed meanwhile it is queued again.</summary>
    public void Done(T item)
    {
        var requeue = false;
        lock (_gate)
        {
            _processing.Remove(item);
            var urgent = _urgentWhenDone.Remove(item);
            if (_dirty.Contains(item) && !_shutDown)
            {
                Enqueue(item, urgent);
                requeue = true;
            }
        }
        if (requeue) _signal.Writer.TryWrite(true);
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            _shutDown = true;
            foreach (var (_, w) in _waiting) w.Timer.Dispose();
            _waiting.Clear();
        }
        _signal.Writer.TryComplete();
    }

    public void Dispose() => ShutDown();
}
