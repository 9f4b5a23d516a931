using GitOps.Operator.Cluster;

namespace GitOps.Loop.Bench;

/// <summary>A <see cref="StatusStandIn"/> with the watch that feeds it; disposing stops the watch first, so no event reaches a stopped stand-in.</summary>
internal sealed class WatchedStandIn : IAsyncDisposable
{
    private readonly StatusStandIn _standIn;
    private readonly Watching _watch;

    private WatchedStandIn(StatusStandIn standIn, Watching watch)
    {
        _standIn = standIn;
        _watch = watch;
    }

    /// <summary>The status writes it made.</summary>
    public long Writes => Interlocked.Read(ref _standIn.Writes);

    public static async Task<WatchedStandIn> StartAsync(KubeApi api, StatusStandIn standIn, string groupVersionPath, string resource, string? labelSelector)
    {
        try
        {
            return new(standIn, await Watching.StartAsync(api, $"{groupVersionPath}/{resource}", labelSelector, initialList: true, standIn.OnEventsOf(groupVersionPath, resource)));
        }
        catch
        {
            await standIn.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _watch.DisposeAsync();
        await _standIn.DisposeAsync();
    }
}
