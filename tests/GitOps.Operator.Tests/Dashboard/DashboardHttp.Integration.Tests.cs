using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using GitOps.Testing;
using GitOps.Testing.Dashboard;

namespace GitOps.Operator.Tests.Dashboard;

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardWorld>
{
    public const string Name = "dashboard";
}

/// <summary>
/// Issue 17: the dashboard over HTTP, as alice (every right), bob (read-only) and carol (reads one
/// namespace), against the operator installed with the chart's RBAC in the RBAC sandbox.
/// </summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class DashboardHttpIntegrationTests(DashboardWorld world)
{
    private const string A = DashboardWorld.NamespaceA;
    private const string B = DashboardWorld.NamespaceB;

    [Fact]
    public async Task Get_NoToken_OnlyTheLoginPageWithCreateTokenHint()
    {
        using var client = world.Client(null);

        var list = await client.GetAsync("/");
        var app = await client.GetAsync($"/ui/apps/{A}/web");
        var events = await client.GetAsync("/ui/events");

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        var body = await list.Content.ReadAsStringAsync();
        Assert.Contains("kubectl create token &lt;sa&gt;", body, StringComparison.Ordinal);
        Assert.DoesNotContain("web", Regex.Replace(body, "<[^>]+>", ""), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, app.StatusCode);
        Assert.DoesNotContain("web-settings", await app.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownToken_LoginPageSaysTheClusterRefusedIt()
    {
        using var client = world.Client("not-a-token");

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("did not accept that token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ui/login")]
    [InlineData("/ui/apps/dash-a/web")]
    [InlineData("/ui/apps/dash-a/web/diff")]
    [InlineData("/ui/static/dashboard.js")]
    public async Task Get_AnyPage_SecurityHeaders(string path)
    {
        using var client = world.Client(world.AliceToken);

        var response = await client.GetAsync(path);

        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Alice_EveryAppWithSyncHealthRevisionMessageAndProblem()
    {
        using var client = world.Client(world.AliceToken);

        var html = await client.GetStringAsync("/");

        foreach (var key in new[] { $"{A}/web", $"{A}/broken", $"{B}/api" }) Assert.Contains($"id=\"app:{key}\"", html, StringComparison.Ordinal);
        var web = Row(html, $"{A}/web");
        Assert.Contains("data-health=\"Healthy\"", web, StringComparison.Ordinal);
        Assert.Contains(world.WebRevision[..12], web, StringComparison.Ordinal);
        Assert.Contains("web: first version", web, StringComparison.Ordinal);
        Assert.DoesNotContain("with a body line", web, StringComparison.Ordinal);
        Assert.Contains("SourceError", Row(html, $"{A}/broken"), StringComparison.Ordinal);
        Assert.Contains("data-count=\"total\">3<", html, StringComparison.Ordinal);
        Assert.Contains("data-count=\"Failing\">1<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Filters_NamespaceStatusAndText()
    {
        using var client = world.Client(world.AliceToken);

        var inB = await client.GetStringAsync($"/?namespace={B}");
        var failing = await client.GetStringAsync("/?status=Failing");
        var text = await client.GetStringAsync("/?q=FIRST+VERSION");

        Assert.Contains("data-count=\"total\">1<", inB, StringComparison.Ordinal);
        Assert.DoesNotContain(" hidden", Row(inB, $"{B}/api"), StringComparison.Ordinal);
        Assert.Contains(" hidden", Row(inB, $"{A}/web"), StringComparison.Ordinal);
        Assert.DoesNotContain(" hidden", Row(failing, $"{A}/broken"), StringComparison.Ordinal);
        Assert.Contains(" hidden", Row(failing, $"{A}/web"), StringComparison.Ordinal);
        Assert.DoesNotContain(" hidden", Row(text, $"{A}/web"), StringComparison.Ordinal);
        Assert.Contains(" hidden", Row(text, $"{A}/broken"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Carol_SeesNothingOfTheNamespaceSheMayNotRead()
    {
        using var client = world.Client(world.CarolToken);

        var html = await client.GetStringAsync("/");
        var page = await client.GetAsync($"/ui/apps/{B}/api");
        var diff = await client.GetAsync($"/ui/apps/{B}/api/diff");
        var confirm = await client.GetAsync($"/ui/apps/{B}/api/confirm/sync");

        Assert.Contains($"id=\"app:{A}/web\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(B, html, StringComparison.Ordinal);
        Assert.DoesNotContain("api-settings", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, diff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
        Assert.DoesNotContain("api-settings", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppPage_Alice_TreeConditionsHistoryAndActionButtons()
    {
        using var client = world.Client(world.AliceToken);

        var html = await client.GetStringAsync($"/ui/apps/{A}/web");

        Assert.Contains("id=\"action-sync\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"action-refresh\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"action-suspend\"", html, StringComparison.Ordinal);
        // The tree: Application → Deployment → its ReplicaSet (by ownerReferences), and the ConfigMap.
        Assert.Matches(new Regex("data-key=\"Deployment/dash-a/web\">.*?</div><ul><li><div class=\"node\" data-key=\"ReplicaSet/dash-a/web-[a-z0-9]+\"", RegexOptions.Singleline), html);
        Assert.Contains("data-key=\"ConfigMap/dash-a/web-settings\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Hold drift ConfigMap/dash-a/web-settings\"", html, StringComparison.Ordinal);
        Assert.Contains(">Ready</th>", html, StringComparison.Ordinal);
        Assert.Matches(new Regex("<table id=\"history\">.*web: first version", RegexOptions.Singleline), html);
    }

    [Fact]
    public async Task AppPage_Bob_ReadsEverythingButNoActionButtons()
    {
        using var client = world.Client(world.BobToken);

        var html = await client.GetStringAsync($"/ui/apps/{A}/web");
        var confirm = await client.GetAsync($"/ui/apps/{A}/web/confirm/sync");

        Assert.Contains("data-key=\"Deployment/dash-a/web\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("action-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Hold drift", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Roll back", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, confirm.StatusCode);
    }

    [Fact]
    public async Task Sync_Bob_403AndNothingChanges()
    {
        using var client = world.Client(world.BobToken);
        var csrf = Csrf(await client.GetStringAsync($"/ui/apps/{A}/web"));

        var response = await client.PostAsync($"/ui/apps/{A}/web/sync", Form(("_csrf", csrf)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var app = await world.Admin.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{A}/applications/web", default);
        Assert.Null((string?)app?["metadata"]?["annotations"]?["gitops.dev/sync-requested-at"]);
    }

    [Fact]
    public async Task Sync_AliceWithCsrf_AnnotatesAndRedirectsToTheOutcome()
    {
        using var client = world.Client(world.AliceToken);
        var confirm = await client.GetStringAsync($"/ui/apps/{B}/api/confirm/sync");
        Assert.Contains("Sync this Application now", confirm, StringComparison.Ordinal);

        var response = await client.PostAsync($"/ui/apps/{B}/api/sync", Form(("_csrf", Csrf(confirm))));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/ui/apps/{B}/api?done=sync", response.Headers.Location?.OriginalString);
        var app = await world.WaitAppAsync(B, "api", a => a["metadata"]?["annotations"]?["gitops.dev/sync-requested-at"] is not null, "sync requested");
        var stamp = (string)app["metadata"]!["annotations"]!["gitops.dev/sync-requested-at"]!;
        await world.WaitAppAsync(B, "api", a => (string?)a["status"]?["handledRequests"]?["syncRequestedAt"] == stamp, "the operator handled the sync");
        Assert.Contains("Sync requested", await client.GetStringAsync($"/ui/apps/{B}/api?done=sync"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_MissingWrongOrCrossSiteCsrf_Refused()
    {
        using var alice = world.Client(world.AliceToken);
        using var bob = world.Client(world.BobToken);
        var bobsCsrf = Csrf(await bob.GetStringAsync("/"));
        var alicesCsrf = Csrf(await alice.GetStringAsync("/"));

        var none = await alice.PostAsync($"/ui/apps/{A}/broken/refresh", Form());
        var bobs = await alice.PostAsync($"/ui/apps/{A}/broken/refresh", Form(("_csrf", bobsCsrf)));
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, $"/ui/apps/{A}/broken/refresh") { Content = Form(("_csrf", alicesCsrf)) };
        crossSite.Headers.Add("Origin", "https://evil.example.com");
        var cross = await alice.SendAsync(crossSite);

        Assert.NotEqual(alicesCsrf, bobsCsrf);
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobs.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cross.StatusCode);
        var app = await world.Admin.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{A}/applications/broken", default);
        Assert.Null((string?)app?["metadata"]?["annotations"]?["gitops.dev/refresh-requested-at"]);
    }

    [Fact]
    public async Task ReviewCache_AliceThenBob_BobsAnswerIsHisOwn()
    {
        using var alice = world.Client(world.AliceToken);
        using var bob = world.Client(world.BobToken);

        // Alice's rights are reviewed and cached first; bob, right after, within the TTL, must get his own review.
        var aliceConfirm = await alice.GetAsync($"/ui/apps/{A}/broken/confirm/suspend");
        var bobConfirm = await bob.GetAsync($"/ui/apps/{A}/broken/confirm/suspend");
        var bobPost = await bob.PostAsync($"/ui/apps/{A}/broken/suspend", Form(("_csrf", Csrf(await bob.GetStringAsync("/")))));
        var alicePage = await alice.GetStringAsync($"/ui/apps/{A}/broken");
        var bobPage = await bob.GetStringAsync($"/ui/apps/{A}/broken");

        Assert.Equal(HttpStatusCode.OK, aliceConfirm.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobConfirm.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobPost.StatusCode);
        Assert.Contains("id=\"action-suspend\"", alicePage, StringComparison.Ordinal);
        Assert.DoesNotContain("action-", bobPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Form_TokenInHttpOnlyStrictCookie_NeverInThePage()
    {
        using var client = world.Client(null);

        var response = await client.PostAsync("/ui/login", Form(("token", world.BobToken)));
        var refused = await client.PostAsync("/ui/login", Form(("token", "nope")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("gitops_token=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        var list = await client.SendAsync(withCookie);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("signed in as <b>bob</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(world.BobToken, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_LiveEdit_ShownAgainstGit()
    {
        await PatchGreetingAsync("edited by hand");
        using var client = world.Client(world.AliceToken);

        string html;
        try
        {
            // The diff reads the operator's watch cache, which sees the edit a moment after the API server has it;
            // each page looks at Git again (a listing, a render): under a loaded CI machine that takes seconds.
            var last = "";
            try
            {
                html = await Eventually.WaitAsync(async () =>
                {
                    var page = last = await client.GetStringAsync($"/ui/apps/{A}/web/diff");
                    if (page.Contains("edited by hand", StringComparison.Ordinal)) return page;
                    // Another test of this class may sync the Application meanwhile, which heals the edit: make it again.
                    var live = await world.Admin.GetAsync($"/api/v1/namespaces/{A}/configmaps/web-settings", default);
                    if ((string?)live?["data"]?["greeting"] != "edited by hand") await PatchGreetingAsync("edited by hand");
                    return null;
                }, TimeSpan.FromSeconds(30), "the diff shows the live edit");
            }
            catch (TimeoutException e)
            {
                var live = await world.Admin.GetAsync($"/api/v1/namespaces/{A}/configmaps/web-settings", default);
                throw new TimeoutException($"{e.Message}; the live greeting is \"{(string?)live?["data"]?["greeting"]}\"; the last page: {last[..Math.Min(last.Length, 3000)]}", e);
            }
        }
        finally
        {
            await PatchGreetingAsync("hello");
        }

        Assert.True(html.Contains("id=\"obj:ConfigMap/dash-a/web-settings\"", StringComparison.Ordinal), html);
        Assert.Contains("<span class=\"del\">-  greeting: edited by hand</span>", html, StringComparison.Ordinal);
        Assert.True(html.Contains("<span class=\"add\">+  greeting: hello</span>", StringComparison.Ordinal), Regex.Match(html, "<pre.*?</pre>", RegexOptions.Singleline).Value);
    }

    [Fact]
    public async Task Events_StatusChange_PushedWithinASecond_OnlyToThoseWhoMayRead()
    {
        using var alice = world.Client(world.AliceToken);
        using var carol = world.Client(world.CarolToken);
        alice.Timeout = carol.Timeout = Timeout.InfiniteTimeSpan;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var aliceStream = await alice.GetAsync("/ui/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var carolStream = await carol.GetAsync("/ui/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", aliceStream.Content.Headers.ContentType?.MediaType);
        using var aliceReader = new StreamReader(await aliceStream.Content.ReadAsStreamAsync(cts.Token));
        using var carolReader = new StreamReader(await carolStream.Content.ReadAsStreamAsync(cts.Token));
        await ReadUntilAsync(aliceReader, l => l == ": connected", cts.Token);
        await ReadUntilAsync(carolReader, l => l == ": connected", cts.Token);

        var clock = Stopwatch.StartNew();
        await world.Admin.SendAsync(HttpMethod.Patch, $"/apis/gitops.dev/v1alpha1/namespaces/{B}/applications/api",
            "{\"metadata\":{\"labels\":{\"touched\":\"" + Guid.NewGuid().ToString("N")[..8] + "\"}}}", "application/merge-patch+json", default);
        var line = await ReadUntilAsync(aliceReader, l => l.StartsWith("data: ", StringComparison.Ordinal) && l.Contains($"\"key\":\"{B}/api\"", StringComparison.Ordinal), cts.Token);
        var elapsed = clock.Elapsed;
        await world.Admin.SendAsync(HttpMethod.Patch, $"/apis/gitops.dev/v1alpha1/namespaces/{A}/applications/broken",
            "{\"metadata\":{\"labels\":{\"touched\":\"" + Guid.NewGuid().ToString("N")[..8] + "\"}}}", "application/merge-patch+json", default);
        var carolLines = new List<string>();
        await ReadUntilAsync(carolReader, l =>
        {
            if (l.StartsWith("data: ", StringComparison.Ordinal)) carolLines.Add(l);
            return l.Contains($"\"key\":\"{A}/broken\"", StringComparison.Ordinal);
        }, cts.Token);

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"pushed after {elapsed.TotalMilliseconds:0} ms");
        Assert.Contains("tr id=\\u0022app:dash-b/api\\u0022", line, StringComparison.Ordinal);
        // Carol's stream skipped the change in the namespace she may not read, and got the one she may.
        Assert.DoesNotContain(carolLines, l => l.Contains(B, StringComparison.Ordinal));
        Console.WriteLine($"dashboard: a change reached the browser stream {elapsed.TotalMilliseconds:0} ms after the patch");
    }

    [Fact]
    public async Task Events_FollowOneApp_FirstPushIsItsCurrentState()
    {
        // An app page renders, then subscribes: what changed in between must still reach it, so its stream
        // begins with the app as it is now, with no change needed.
        using var alice = world.Client(world.AliceToken);
        alice.Timeout = Timeout.InfiniteTimeSpan;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await alice.GetAsync($"/ui/events?app={A}%2Fweb", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cts.Token));

        var first = await ReadUntilAsync(reader, l => l.StartsWith("data: ", StringComparison.Ordinal), cts.Token);

        Assert.Contains($"\"key\":\"{A}/web\"", first, StringComparison.Ordinal);
        Assert.Contains("tr id=\\u0022app:dash-a/web\\u0022", first, StringComparison.Ordinal);
    }

    private Task PatchGreetingAsync(string greeting) =>
        world.Admin.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{A}/configmaps/web-settings",
            "{\"data\":{\"greeting\":\"" + greeting + "\"}}", "application/merge-patch+json", default);

    private static async Task<string> ReadUntilAsync(StreamReader reader, Func<string, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("the event stream ended");
            if (match(line)) return line;
        }
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private static string Csrf(string html) => CsrfPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no CSRF token in the page");

    private static string Row(string html, string key) =>
        Regex.Match(html, $"<tr id=\"app:{Regex.Escape(key)}\"[^>]*>.*?</tr>", RegexOptions.Singleline) is { Success: true } m ? m.Value : throw new InvalidOperationException($"no row {key}");

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();
}
