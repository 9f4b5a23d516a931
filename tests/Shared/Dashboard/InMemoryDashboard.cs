using GitOps.Operator.Cluster;
using GitOps.Operator.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
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
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var web = builder.Build();
        var api = new NoKubeApi();
        new DashboardServer(source, new AllowAllAccess(), api, new ApiDiscovery(api), web.Services, DashboardOptions.Default, NullLogger.Instance).Map(web);
        await web.StartAsync();
        return new InMemoryDashboard(web, source, web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
