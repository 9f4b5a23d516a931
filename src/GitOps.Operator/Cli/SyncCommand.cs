using GitOps.Engine.Model;
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Status;

namespace GitOps.Operator.Cli;

/// <summary>`gitops sync APP` and `gitops refresh APP`: the manual-trigger annotations, optionally waiting for the result.</summary>
internal static class SyncCommand
{
    public static Command BuildSync()
    {
        var common = new CliCommon();
        var app = new Argument<string>("APP") { Description = "the Application to sync" };
        var prune = new Option<bool>("--prune") { Description = "delete objects that are no longer in Git (a manual sync of this operator always prunes; accepted for argocd users)" };
        var wait = new Option<bool>("--wait") { Description = "wait until the sync is done and the app is Synced and Healthy" };
        var timeout = TimeoutOption(TimeSpan.FromMinutes(2));
        var command = new Command("sync", "Sync an Application now (even without automated sync): sets gitops.dev/sync-requested-at") { app, prune, wait, timeout };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var (client, ns, name) = common.Target(result, app);
            var stamp = Now();
            await client.AnnotateAsync(ns, name, new Dictionary<string, string?> { [Annotations.SyncRequestedAt] = stamp }, ct);
            await o.Out.WriteLineAsync($"sync of {ns}/{name} requested");
            if (!result.GetValue(wait)) return 0;
            var done = await AppWaiter.WaitAsync(client, ns, name, "synced and healthy", result.GetValue(timeout),
                a => Handled(a, sync: true, stamp) && ApplicationStatus.Of(a) is { Sync.Status: SyncSummary.Synced, Health.Status: "Healthy" },
                a => Handled(a, sync: true, stamp) ? AppWaiter.StageFailure(a) : null, ct);
            await o.Out.WriteLineAsync($"{ns}/{name} synced at {ApplicationStatus.ShortRevisionOf(done)} and healthy");
            return 0;
        });
        return command;
    }

    public static Command BuildRefresh()
    {
        var common = new CliCommon();
        var app = new Argument<string>("APP") { Description = "the Application to refresh" };
        var wait = new Option<bool>("--wait") { Description = "wait until the operator has looked at Git again" };
        var timeout = TimeoutOption(TimeSpan.FromMinutes(1));
        var command = new Command("refresh", "Look at Git and compare again now: sets gitops.dev/refresh-requested-at") { app, wait, timeout };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var (client, ns, name) = common.Target(result, app);
            var stamp = Now();
            await client.AnnotateAsync(ns, name, new Dictionary<string, string?> { [Annotations.RefreshRequestedAt] = stamp }, ct);
            await o.Out.WriteLineAsync($"refresh of {ns}/{name} requested");
            if (!result.GetValue(wait)) return 0;
            var done = await AppWaiter.WaitAsync(client, ns, name, "refreshed", result.GetValue(timeout), a => Handled(a, sync: false, stamp), null, ct);
            await o.Out.WriteLineAsync($"{ns}/{name}: {AppWaiter.Describe(done)} at {ApplicationStatus.ShortRevisionOf(done)}");
            return 0;
        });
        return command;
    }

    internal static Option<TimeSpan> TimeoutOption(TimeSpan fallback) =>
        DurationOption("--timeout", fallback, $"how long to wait (like 30s, 2m, 1h; default {AppWaiter.Format(fallback)})");

    internal static Option<TimeSpan> DurationOption(string name, TimeSpan fallback, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = r => Durations.TryParse(r.Tokens.Single().Value, out var d) && d > TimeSpan.Zero ? d : Fail(r),
    };

    private static TimeSpan Fail(System.CommandLine.Parsing.ArgumentResult r)
    {
        r.AddError($"'{r.Tokens.Single().Value}' is not a duration like 30s, 2m or 1h");
        return TimeSpan.Zero;
    }

    /// <summary>Whether the operator has acted on the sync (or refresh) request stamped <paramref name="stamp"/>.</summary>
    internal static bool Handled(JsonObject app, bool sync, string stamp) =>
        ApplicationStatus.Of(app).HandledRequests is { } handled && (sync ? handled.SyncRequestedAt : handled.RefreshRequestedAt) == stamp;

    internal static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
