using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>Runs the simulated controllers on the store's change stream, one event at a time.</summary>
internal sealed class ControllerHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ObjectStore _store;
    private readonly List<IController> _controllers;
    private Task _loop = Task.CompletedTask;

    public ControllerHost(ObjectStore store, ResourceRegistry registry, CustomResources custom, ObjectWriter writer, ObjectDeleter deleter, IClock clock, SandboxOptions options)
    {
        _store = store;
        var context = new ControllerContext(store, registry, custom, writer, deleter, clock, options, _stop.Token);
        _controllers =
        [
            new CrdController(context),
            new NamespaceController(context),
            new GarbageCollector(context),
            new WorkloadController(context),
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
                    foreach (var c in _controllers)
                    {
                        try { c.OnEvent(e); }
                        catch (Exception ex) when (ex is not OperationCanceledException) { Failures++; }
                    }
            }
            catch (OperationCanceledException) { }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
