using GitOps.Operator.Cluster;
using GitOps.Operator.Dashboard;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Testing.Dashboard;

/// <summary>
/// The operator's dashboard with other options (a path base, a login limit) on its own loopback
/// port, over <see cref="DashboardWorld"/>'s cluster with the operator's credentials and an
/// Application informer of its own; no second controller, so nothing is reconciled twice.
/// </summary>
public sealed class SecondDashboard : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly InformerApplicationSource _source;

    private SecondDashboard(WebApplication web, InformerApplicationSource source, Uri address) => (_web, _source, Address) = (web, source, address);

    public Uri Address { get; }

    public static async Task<SecondDashboard> StartAsync(DashboardWorld world, DashboardOptions options)
    {
        var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(world.OperatorKubeconfig));
        var source = new InformerApplicationSource(api, null);
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await source.WaitForSyncAsync(cts.Token);
        var (web, address) = await LoopbackWeb.StartAsync(web =>
            DashboardServer.ForOperator(source, api, new ApiDiscovery(api), world.Operator.Services, options, NullLogger.Instance).Map(web));
        return new SecondDashboard(web, source, new Uri(address));
    }

    /// <summary>A client that sends <paramref name="token"/> as a bearer token (none when null) and never follows redirects.</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
        await _source.DisposeAsync();
    }
}
