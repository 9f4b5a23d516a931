using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>
/// Rollback and unpin, drift hold and clear, suspend and resume over HTTP: each confirmed, then
/// posted, then the Application (or the object) carries the annotation or spec the CLI would write,
/// the outcome page says so, and bob (read-only) gets 403 with nothing changed.
/// </summary>
public sealed partial class DashboardHttpIntegrationTests
{
    private const string HeldObject = "ConfigMap/dash-a/web-settings";

    [Fact]
    public async Task Rollback_AliceToAHistoryEntry_PinsAndSyncs_ThenUnpinFollowsGitAgain()
    {
        using var alice = world.Client(world.AliceToken);
        var id = (long)(await AppAsync(A, "web"))["status"]!["history"]!.AsArray()[0]!["id"]!;
        try
        {
            var confirm = await alice.GetAsync($"/ui/apps/{A}/web/confirm/rollback?id={id}");
            var confirmHtml = await confirm.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
            Assert.Contains("Roll back to this history entry", confirmHtml, StringComparison.Ordinal);

            var rollback = await alice.PostAsync($"/ui/apps/{A}/web/rollback", Form(("_csrf", Csrf(confirmHtml)), ("id", id.ToString(CultureInfo.InvariantCulture))));

            Assert.Equal(HttpStatusCode.Redirect, rollback.StatusCode);
            Assert.Equal($"/ui/apps/{A}/web?done=rollback", rollback.Headers.Location?.OriginalString);
            var pinned = await AppAsync(A, "web");
            Assert.Equal(id.ToString(CultureInfo.InvariantCulture), (string?)pinned["metadata"]?["annotations"]?["gitops.dev/rollback-to"]);
            Assert.NotNull((string?)pinned["metadata"]?["annotations"]?["gitops.dev/sync-requested-at"]);
            Assert.Contains("the Application stays on that revision", await alice.GetStringAsync($"/ui/apps/{A}/web?done=rollback"), StringComparison.Ordinal);

            var unpinConfirm = await alice.GetStringAsync($"/ui/apps/{A}/web/confirm/unpin");
            Assert.Contains("Remove the rollback pin", unpinConfirm, StringComparison.Ordinal);
            var unpin = await alice.PostAsync($"/ui/apps/{A}/web/unpin", Form(("_csrf", Csrf(unpinConfirm))));

            Assert.Equal(HttpStatusCode.Redirect, unpin.StatusCode);
            var followed = await AppAsync(A, "web");
            Assert.Null(followed["metadata"]?["annotations"]?["gitops.dev/rollback-to"]);
            Assert.NotNull((string?)followed["metadata"]?["annotations"]?["gitops.dev/refresh-requested-at"]);
            Assert.Contains("Following Git again.", await alice.GetStringAsync($"/ui/apps/{A}/web?done=unpin"), StringComparison.Ordinal);
        }
        finally
        {
            await PatchAsync($"{AppsPath}/{A}/applications/web", "{\"metadata\":{\"annotations\":{\"gitops.dev/rollback-to\":null,\"gitops.dev/sync-requested-at\":null}}}");
        }
    }

    [Fact]
    public async Task Rollback_Bob_403AndNoPin()
    {
        using var bob = world.Client(world.BobToken);
        var id = (long)(await AppAsync(A, "web"))["status"]!["history"]!.AsArray()[0]!["id"]!;

        var response = await bob.PostAsync($"/ui/apps/{A}/web/rollback", Form(("_csrf", Csrf(await bob.GetStringAsync("/"))), ("id", id.ToString(CultureInfo.InvariantCulture))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null((await AppAsync(A, "web"))["metadata"]?["annotations"]?["gitops.dev/rollback-to"]);
    }

    [Fact]
    public async Task Hold_AliceOnAnObject_AnnotatesTheObject_ThenUnholdClearsIt()
    {
        using var alice = world.Client(world.AliceToken);
        try
        {
            var confirm = await alice.GetStringAsync($"/ui/apps/{A}/web/confirm/hold?object={Uri.EscapeDataString(HeldObject)}");
            Assert.Contains("Stop self-heal of this object", confirm, StringComparison.Ordinal);

            var hold = await alice.PostAsync($"/ui/apps/{A}/web/hold", Form(("_csrf", Csrf(confirm)), ("object", HeldObject), ("reason", "hotfix INC-42"), ("minutes", "30")));

            Assert.Equal(HttpStatusCode.Redirect, hold.StatusCode);
            var held = await ConfigMapAnnotationsAsync();
            Assert.Equal("hotfix INC-42", (string?)held["gitops.dev/drift-hold"]);
            var until = DateTimeOffset.Parse((string)held["gitops.dev/drift-hold-until"]!, CultureInfo.InvariantCulture);
            Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(28), TimeSpan.FromMinutes(31));
            Assert.Contains("Self-heal of the object is held.", await alice.GetStringAsync($"/ui/apps/{A}/web?done=hold"), StringComparison.Ordinal);

            var unhold = await alice.PostAsync($"/ui/apps/{A}/web/unhold", Form(("_csrf", Csrf(confirm)), ("object", HeldObject)));

            Assert.Equal(HttpStatusCode.Redirect, unhold.StatusCode);
            var cleared = await ConfigMapAnnotationsAsync();
            Assert.Null(cleared["gitops.dev/drift-hold"]);
            Assert.Null(cleared["gitops.dev/drift-hold-until"]);
            Assert.Contains("Hold cleared; self-heal resumes.", await alice.GetStringAsync($"/ui/apps/{A}/web?done=unhold"), StringComparison.Ordinal);
        }
        finally
        {
            await PatchAsync($"/api/v1/namespaces/{A}/configmaps/web-settings", "{\"metadata\":{\"annotations\":{\"gitops.dev/drift-hold\":null,\"gitops.dev/drift-hold-until\":null}}}");
        }
    }

    [Fact]
    public async Task Hold_Bob_403AndTheObjectIsNotHeld()
    {
        using var bob = world.Client(world.BobToken);

        var confirm = await bob.GetAsync($"/ui/apps/{A}/web/confirm/hold?object={Uri.EscapeDataString(HeldObject)}");
        var hold = await bob.PostAsync($"/ui/apps/{A}/web/hold", Form(("_csrf", Csrf(await bob.GetStringAsync("/"))), ("object", HeldObject), ("reason", "mine now")));

        Assert.Equal(HttpStatusCode.Forbidden, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, hold.StatusCode);
        Assert.Null((await ConfigMapAnnotationsAsync())["gitops.dev/drift-hold"]);
    }

    [Fact]
    public async Task Suspend_AliceThenResume_SpecSuspendFollows()
    {
        using var alice = world.Client(world.AliceToken);
        try
        {
            var confirm = await alice.GetStringAsync($"/ui/apps/{A}/web/confirm/suspend");
            Assert.Contains("Suspend this Application?", confirm, StringComparison.Ordinal);

            var suspend = await alice.PostAsync($"/ui/apps/{A}/web/suspend", Form(("_csrf", Csrf(confirm))));

            Assert.Equal(HttpStatusCode.Redirect, suspend.StatusCode);
            Assert.True((bool?)(await AppAsync(A, "web"))["spec"]?["suspend"]);
            Assert.Contains("Suspended.", await alice.GetStringAsync($"/ui/apps/{A}/web?done=suspend"), StringComparison.Ordinal);

            var resume = await alice.PostAsync($"/ui/apps/{A}/web/resume", Form(("_csrf", Csrf(confirm))));

            Assert.Equal(HttpStatusCode.Redirect, resume.StatusCode);
            Assert.False((bool?)(await AppAsync(A, "web"))["spec"]?["suspend"]);
            Assert.Contains("Resumed.", await alice.GetStringAsync($"/ui/apps/{A}/web?done=resume"), StringComparison.Ordinal);
        }
        finally
        {
            await PatchAsync($"{AppsPath}/{A}/applications/web", "{\"spec\":{\"suspend\":false}}");
        }
    }

    [Fact]
    public async Task Suspend_Bob_403AndNotSuspended()
    {
        using var bob = world.Client(world.BobToken);

        var response = await bob.PostAsync($"/ui/apps/{A}/web/suspend", Form(("_csrf", Csrf(await bob.GetStringAsync("/")))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual(true, (bool?)(await AppAsync(A, "web"))["spec"]?["suspend"]);
    }

    [Fact]
    public async Task Sync_AliceAfterAnEdit_TheOperatorPutsGitBack()
    {
        using var alice = world.Client(world.AliceToken);
        await PatchAsync($"/api/v1/namespaces/{B}/configmaps/api-settings", "{\"data\":{\"greeting\":\"edited before a sync\"}}");

        var response = await alice.PostAsync($"/ui/apps/{B}/api/sync", Form(("_csrf", Csrf(await alice.GetStringAsync($"/ui/apps/{B}/api")))));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await Eventually.WaitAsync(async () => (string?)(await world.Admin.GetAsync($"/api/v1/namespaces/{B}/configmaps/api-settings", default))?["data"]?["greeting"] == "api",
            TimeSpan.FromSeconds(20), "the sync put the greeting back");
    }

    private async Task<JsonObject> AppAsync(string ns, string name) =>
        await world.Admin.GetAsync($"{AppsPath}/{ns}/applications/{name}", default) ?? throw new InvalidOperationException($"no Application {ns}/{name}");

    private async Task<JsonObject> ConfigMapAnnotationsAsync() =>
        (await world.Admin.GetAsync($"/api/v1/namespaces/{A}/configmaps/web-settings", default))?["metadata"]?["annotations"] as JsonObject ?? [];

    private Task PatchAsync(string path, string patch) => world.Admin.SendAsync(HttpMethod.Patch, path, patch, "application/merge-patch+json", default);
}
