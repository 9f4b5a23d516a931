using GitOps.Testing.Dashboard;
using Microsoft.Playwright;

namespace GitOps.Dashboard.Tests;

/// <summary>
/// The dashboard world (RBAC sandbox, operator from the chart, Git, alice/bob/carol) plus one headless
/// Chromium: the machine's /usr/bin/chromium driven by Playwright, never a downloaded browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public DashboardWorld World { get; } = new();
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"no {Chromium}: run scripts/install-tools.sh");
        await World.InitializeAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) with a laptop-sized window.</summary>
    public Task<IBrowserContext> NewContextAsync(IDictionary<string, string>? headers = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
            ExtraHTTPHeaders = headers is null ? null : new Dictionary<string, string>(headers),
        });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        await World.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
