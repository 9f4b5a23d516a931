using System.Net;
using System.Net.Sockets;
using GitOps.Operator.Dashboard;
using GitOps.Testing.Dashboard;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>The sign-in form refuses an address after ten failed tokens in a minute (429, Retry-After); another address still signs in.</summary>
public sealed partial class DashboardHttpIntegrationTests
{
    [Fact]
    public async Task Login_TenFailuresFromOneAddress_429WithRetryAfter_AnotherAddressUnaffected()
    {
        await using var dashboard = await SecondDashboard.StartAsync(world, DashboardOptions.Default);
        using var guesser = ClientFrom(IPAddress.Parse("127.0.0.2"), dashboard.Address);
        using var other = ClientFrom(IPAddress.Loopback, dashboard.Address);

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < DashboardOptions.Default.LoginFailuresPerWindow; i++)
            failures.Add((await guesser.PostAsync("/ui/login", Form(("token", $"guess-{i}")))).StatusCode);
        var locked = await guesser.PostAsync("/ui/login", Form(("token", world.AliceToken)));
        var otherFails = await other.PostAsync("/ui/login", Form(("token", "typo")));
        var otherSignsIn = await other.PostAsync("/ui/login", Form(("token", world.AliceToken)));

        Assert.All(failures, code => Assert.Equal(HttpStatusCode.Unauthorized, code));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.False(locked.Headers.Contains("Set-Cookie"));
        var lockedPage = await locked.Content.ReadAsStringAsync();
        Assert.Contains("Too many failed sign-ins", lockedPage, StringComparison.Ordinal);
        Assert.DoesNotContain(world.AliceToken, lockedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, otherFails.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, otherSignsIn.StatusCode);
    }

    /// <summary>A client whose connections come from <paramref name="local"/> (any 127.x address is this machine on Linux).</summary>
    private static HttpClient ClientFrom(IPAddress local, Uri server) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = server };
}
