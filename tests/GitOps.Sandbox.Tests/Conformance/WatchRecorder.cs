using System.Threading.Channels;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// A running watch whose events land in a channel, read with a deadline. It runs on a client of
/// its own, disposed with it, so the watch's connection is closed and never reused (see
/// <see cref="ApiTarget.NewClient"/>). <c>open</c> starts the watch on that client, reporting
/// errors to the callback it is given.
/// </summary>
internal sealed class WatchRecorder<T> : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _cts = new();
    private readonly Kubernetes _client;
    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly Task _pump;

    public WatchRecorder(ApiTarget target, Func<Kubernetes, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open)
    {
        _client = target.NewClient();
        var events = open(_client, ex => Errors.Add(ex), _cts.Token);
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in events)
                    await _events.Writer.WriteAsync(e);
            }
            catch (OperationCanceledException) { }
            catch (Exception ex) { Errors.Add(ex); }
            finally { _events.Writer.TryComplete(); }
        });
    }

    public System.Collections.Concurrent.ConcurrentBag<Exception> Errors { get; } = [];

    public Task Completion => _pump;

    public async Task<(WatchEventType Type, T Object)> NextAsync(Func<WatchEventType, bool>? skip = null, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? Deadline);
        while (true)
        {
            var e = await _events.Reader.ReadAsync(timeout.Token);
            if (skip is null || !skip(e.Type)) return e;
        }
    }

    public async Task<(WatchEventType Type, T Object)> NextChangeAsync() => await NextAsync(t => t == WatchEventType.Bookmark);

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _pump;
        _client.Dispose();
        _cts.Dispose();
    }
}
