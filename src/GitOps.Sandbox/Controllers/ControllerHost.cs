using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>Runs the simulated controllers on the store's change stream, one event at a time.</summary>
internal sealed class ControllerHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ObjectStore _store;
    private readonly List<IController> _controllers;
    private readonly ControllerContext _context;
    private Task _loop = Task.CompletedTask;
    private long _processed;

    public ControllerHost(ObjectStore store, ResourceRegistry registry, CustomResources custom, ObjectWriter writer, ObjectDeleter deleter, IClock clock, SandboxOptions options)
    {
        _store = store;
        var context = _context = new ControllerContext(store, registry, custom, writer, deleter, clock, options, _stop.Token);
        _controllers =
        [
            new CrdController(context),
            new NamespaceController(context),
            new GarbageCollector(context),
            new WorkloadController(context),
            new ClusterRoleAggregationController(context),
        ];
    }

    /// <summary>Controller steps that failed unexpectedly (a real controller would retry them).</summary>
    public long Failures { get; private set; }

    public void Start()
    {
        var subscription = _store.Subscribe(0, _ => true, durable: true)!;
        _loop = Task.Run(async () =>
        {
            using var _ = subscription;
            try
            {
                await foreach (var e in subscription.Events.ReadAllAsync(_stop.Token))
                {
                    foreach (var c in _controllers)
                    {
                        try { c.OnEvent(e); }
                        catch (Exception ex) when (ex is not OperationCanceledException) { Failures++; }
                    }
                    Volatile.Write(ref _processed, e.ResourceVersion);
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>
    /// True when every change in the store has been handled and no delayed action is pending: the
    /// controllers will write nothing more until someone else writes. Reads are ordered so that a
    /// write racing with the check makes it false (an action writes before it stops being pending).
    /// </summary>
    public bool IsIdle
    {
        get
        {
            var processed = Volatile.Read(ref _processed);
            var revision = _store.Revision;
            return processed >= revision && _context.Scheduled == 0 && _store.Revision == revision;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
