using GitOps.Operator.Cluster;
using GitOps.Operator.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Testing.Dashboard;

/// <summary>The dashboard over in-memory Applications on a loopback port, every request allowed: for render measurements.</summary>
public sealed class InMemoryDashboard : IAsyncDisposable
{
    private readonly WebApplication _web;

    private InMemoryDashboard(WebApplication web, MemoryApplicationSource source, string address) => (_web, Source, Address) = (web, source, address);

    public MemoryApplicationSource Source { get; }

    public string Address { get; }

    public static async Task<InMemoryDashboard> StartAsync(int apps)
    {
        var source = new MemoryApplicationSource(SampleApps.Make(apps));
        var api = new NoKubeApi();
        var (web, address) = await LoopbackWeb.StartAsync(web =>
            new DashboardServer(source, new AllowAllAccess(), api, new ApiDiscovery(api), web.Services, DashboardOptions.Default, NullLogger.Instance).Map(web));
        return new InMemoryDashboard(web, source, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
