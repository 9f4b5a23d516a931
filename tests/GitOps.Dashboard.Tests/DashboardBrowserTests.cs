using System.Diagnostics;
using GitOps.Testing;
using GitOps.Testing.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GitOps.Dashboard.Tests;

/// <summary>Issue 17 in a real browser: sign in, the list, an Application with its tree and a diff, a sync and the page following it live.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DashboardBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private DashboardWorld World => fixture.World;
    private const string A = DashboardWorld.NamespaceA;
    private const string B = DashboardWorld.NamespaceB;

    private async Task<IPage> SignedInAsync(string token)
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(World.Address.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("Bearer token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Applications" })).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task Dashboard_ListOpenAppTreeDiffSync_PageFollowsTheSync()
    {
        var page = await SignedInAsync(World.AliceToken);

        // The list: every app, counts, and a live stream open.
        await Expect(page.Locator("#apps tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-count=total]")).ToHaveTextAsync("3");
        await Expect(page.Locator($"[id='app:{A}/broken']")).ToContainTextAsync("SourceError");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-live", "open");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ToolPaths.RepoRoot, "docs", "dashboard-applications.png"), FullPage = true });

        // Filter by typing: rows hide and counts follow without a reload.
        await page.GetByLabel("Search").FillAsync("first version");
        await Expect(page.Locator("[data-count=total]")).ToHaveTextAsync("2");
        await page.GetByLabel("Search").FillAsync("");

        // Open an app: its tree goes Application → Deployment → ReplicaSet.
        await page.GetByRole(AriaRole.Link, new() { Name = "web", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "web", Exact = true })).ToBeVisibleAsync();
        var deployment = page.Locator($"li:has(> div[data-key='Deployment/{A}/web'])");
        await Expect(deployment.Locator("div[data-key^='ReplicaSet/']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"div[data-key='ConfigMap/{A}/web-settings']")).ToContainTextAsync("Synced");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ToolPaths.RepoRoot, "docs", "dashboard-application.png"), FullPage = true });

        // A diff of an edited object.
        await World.Admin.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{A}/configmaps/web-settings",
            "{\"data\":{\"greeting\":\"edited in the browser test\"}}", "application/merge-patch+json", default);
        await page.GetByRole(AriaRole.Link, new() { Name = $"Diff of ConfigMap/{A}/web-settings" }).ClickAsync();
        await Expect(page.Locator("pre.diff .del")).ToContainTextAsync("edited in the browser test");
        await Expect(page.Locator("pre.diff .add")).ToContainTextAsync("greeting: hello");
        await page.GoBackAsync();

        // Sync: confirm, see the outcome, then see the page follow the operator (the drift is gone, history unchanged).
        var lastSync = await page.Locator("#summary").InnerTextAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Sync: {A}/web" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sync" }).ClickAsync();
        await Expect(page.Locator("#outcome")).ToContainTextAsync("Sync requested");
        // InnerText on both sides: the default, textContent, runs dt and dd together ("SyncOutOfSync"), so it never
        // equals lastSync and the wait passed at once, proving nothing.
        await Expect(page.Locator("#summary")).Not.ToHaveTextAsync(lastSync, new() { UseInnerText = true, Timeout = 20_000 });
        await Expect(page.Locator($"div[data-key='ConfigMap/{A}/web-settings']")).ToContainTextAsync("Synced", new() { Timeout = 20_000 });
        var live = await World.Admin.GetAsync($"/api/v1/namespaces/{A}/configmaps/web-settings", default);
        Assert.Equal("hello", (string?)live?["data"]?["greeting"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task List_ChangeInTheCluster_RowUpdatesWithoutReload()
    {
        var page = await SignedInAsync(World.BobToken);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-live", "open");
        var row = page.Locator($"[id='app:{B}/api']");
        await Expect(row).Not.ToContainTextAsync("Suspended");

        var clock = Stopwatch.StartNew();
        await World.Admin.SendAsync(HttpMethod.Patch, $"/apis/gitops.dev/v1alpha1/namespaces/{B}/applications/api",
            "{\"spec\":{\"suspend\":true}}", "application/merge-patch+json", default);
        try
        {
            await Expect(row).ToContainTextAsync("Suspended", new() { Timeout = 5_000 });
            output.WriteLine($"the row changed {clock.ElapsedMilliseconds} ms after the patch");
            // Bob reads only: no action anywhere.
            await page.GetByRole(AriaRole.Link, new() { Name = "api", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "api", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToHaveCountAsync(0);
        }
        finally
        {
            await World.Admin.SendAsync(HttpMethod.Patch, $"/apis/gitops.dev/v1alpha1/namespaces/{B}/applications/api",
                "{\"spec\":{\"suspend\":false}}", "application/merge-patch+json", default);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Pages_Accessibility_EveryControlLabelledKeyboardReachable()
    {
        var page = await SignedInAsync(World.AliceToken);
        foreach (var path in new[] { "/", $"/ui/apps/{A}/web", $"/ui/apps/{A}/web/confirm/hold?object=ConfigMap/{A}/web-settings" })
        {
            await page.GotoAsync(new Uri(World.Address, path).ToString());
            var unlabelled = await page.EvaluateAsync<string[]>(
                "() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, button')).filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).map(e => e.outerHTML)");
            Assert.True(unlabelled.Length == 0, $"{path}: unlabelled controls: {string.Join(", ", unlabelled)}");
            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        }
        // The skip link is the first stop of the keyboard, and the list's links follow.
        await page.GotoAsync(World.Address.ToString());
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task List_1000Apps_BrowserRenderTime()
    {
        await using var dashboard = await InMemoryDashboard.StartAsync(1000);
        var (source, address) = (dashboard.Source, dashboard.Address);
        var context = await fixture.NewContextAsync(new Dictionary<string, string> { ["Authorization"] = "Bearer tester" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(address); // warm-up

        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(address, new() { WaitUntil = WaitUntilState.Load });
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var navigation = await page.EvaluateAsync<double>("() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }");
        times.Sort();

        await Expect(page.Locator("#apps tbody tr")).ToHaveCountAsync(1000);
        var filter = Stopwatch.StartNew();
        await page.GetByLabel("Search").FillAsync("app-0007");
        await Expect(page.Locator("[data-count=total]")).ToHaveTextAsync("1");
        var filtered = filter.Elapsed.TotalMilliseconds;
        source.Put(SampleApps.Make(1)[0]);
        output.WriteLine($"1,000 Applications in Chromium: loaded in {times[1]:0} ms median of 3 (min {times[0]:0}, max {times[2]:0}; the browser's own navigation timing {navigation:0} ms); typing a filter re-counted in {filtered:0} ms");
        await context.CloseAsync();
    }
}
