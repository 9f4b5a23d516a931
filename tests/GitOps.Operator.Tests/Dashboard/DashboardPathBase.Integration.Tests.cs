using System.Net;
using GitOps.Operator.Dashboard;
using GitOps.Testing.Dashboard;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>The dashboard under a path base (an Ingress routing /gitops unchanged): pages, assets, events and an action all live under it.</summary>
public sealed partial class DashboardHttpIntegrationTests
{
    private const string Base = "/gitops";

    [Fact]
    public async Task PathBase_PagesAssetsAndEvents_AllUnderThePrefix()
    {
        await using var dashboard = await SecondDashboard.StartAsync(world, DashboardOptions.Default with { PathBase = Base });
        using var alice = dashboard.Client(world.AliceToken);
        alice.Timeout = Timeout.InfiniteTimeSpan;

        var list = await alice.GetStringAsync($"{Base}/");
        var app = await alice.GetStringAsync($"{Base}/ui/apps/{A}/web");
        var script = await alice.GetAsync($"{Base}/ui/static/dashboard.js");
        var css = await alice.GetAsync($"{Base}/ui/static/dashboard.css");
        var atRoot = await alice.GetAsync("/");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var events = await alice.GetAsync($"{Base}/ui/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(cts.Token));

        Assert.Contains($"href=\"{Base}/ui/apps/{A}/web\"", list, StringComparison.Ordinal);
        Assert.Contains($"src=\"{Base}/ui/static/dashboard.js\"", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Base}/ui/static/dashboard.css\"", list, StringComparison.Ordinal);
        Assert.Contains($"data-base=\"{Base}\"", list, StringComparison.Ordinal);
        Assert.Contains($"action=\"{Base}/ui/logout\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("=\"/ui/", list + app, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/\"", list + app, StringComparison.Ordinal);
        Assert.Contains($"action=\"{Base}/ui/apps/{A}/web/confirm/sync\"", app, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("base + '/ui/events'", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("DENY", Assert.Single(script.Headers.GetValues("X-Frame-Options")));
        Assert.Equal(HttpStatusCode.NotFound, atRoot.StatusCode);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        await ReadUntilAsync(reader, l => l == ": connected", cts.Token);
    }

    [Fact]
    public async Task PathBase_ActionAndSignIn_FormsRedirectsAndCookieUnderThePrefix()
    {
        await using var dashboard = await SecondDashboard.StartAsync(world, DashboardOptions.Default with { PathBase = Base });
        using var alice = dashboard.Client(world.AliceToken);
        using var anonymous = dashboard.Client(null);

        var confirm = await alice.GetStringAsync($"{Base}/ui/apps/{B}/api/confirm/refresh");
        Assert.Contains($"action=\"{Base}/ui/apps/{B}/api/refresh\"", confirm, StringComparison.Ordinal);
        var refresh = await alice.PostAsync($"{Base}/ui/apps/{B}/api/refresh", Form(("_csrf", Csrf(confirm))));
        var login = await anonymous.PostAsync($"{Base}/ui/login", Form(("token", world.BobToken)));

        Assert.Equal(HttpStatusCode.Redirect, refresh.StatusCode);
        Assert.Equal($"{Base}/ui/apps/{B}/api?done=refresh", refresh.Headers.Location?.OriginalString);
        await world.WaitAppAsync(B, "api", a => a["metadata"]?["annotations"]?["gitops.dev/refresh-requested-at"] is not null, "refresh requested under the path base");
        Assert.Contains("Refresh requested.", await alice.GetStringAsync(refresh.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal($"{Base}/", login.Headers.Location?.OriginalString);
        Assert.Contains($"path={Base}", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }
}
