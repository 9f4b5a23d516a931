using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Source;
using GitOps.Operator.Webhooks;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>
/// Re-queues the Applications a push concerns: every cached Application whose normalised
/// repoURL is one of the push's repository URLs and whose targetRevision the pushed refs move.
/// Their resolved commits are forgotten first, so the reconcile looks at Git again at once. Those
/// whose path the push's changed files touch are queued first, as urgent, so a commit to one app of a
/// repository with thousands is applied before the others are looked at again.
/// A standby replica (no Application cache) instead asks the leader through the API, by setting
/// the refresh annotation on each matching Application; so does a shard for the matching
/// Applications of other shards (the push reached only this replica).
/// </summary>
public sealed class ApplicationPushTarget(ApplicationController controller, SourceResolver sources, IKubeApi api, ILogger<ApplicationPushTarget> log) : IPushTarget
{
    public async Task<int> RequeueAsync(PushEvent push, CancellationToken ct)
    {
        var repos = push.RepoUrls.Select(Source.RepoUrl.Comparable).ToHashSet(StringComparer.Ordinal);
        if (controller.HasSynced)
        {
            // Forget each repository's resolved commit once, before any app is queued: forgetting it
            // per app let workers that had already resolved it trigger another remote ls.
            var apps = controller.List();
            var matching = Matching(apps.Where(controller.Owns), repos, push).ToList();
            foreach (var repoUrl in matching.Select(m => m.RepoUrl).Distinct(StringComparer.Ordinal)) sources.Invalidate(repoUrl);
            foreach (var (ns, name, _, _) in matching.Where(m => m.Touched)) controller.Enqueue(ns, name, urgent: push.ChangedFiles is not null);
            foreach (var (ns, name, _, _) in matching.Where(m => !m.Touched)) controller.Enqueue(ns, name);
            var others = controller.Sharding.IsSharded ? await RequestRefreshAsync(Matching(apps.Where(a => !controller.Owns(a)), repos, push), ct) : 0;
            return matching.Count + others;
        }
        var list = await api.SendAsync(HttpMethod.Get, ApplicationPaths.Collection(null), null, "application/json", ct);
        return await RequestRefreshAsync(Matching((list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList(), repos, push), ct);
    }

    /// <summary>Sets the refresh annotation on each Application, for the replica that reconciles it (8 requests at a time).</summary>
    private async Task<int> RequestRefreshAsync(IEnumerable<(string Namespace, string Name, string RepoUrl, bool Touched)> apps, CancellationToken ct)
    {
        var annotated = 0;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [Annotations.RefreshRequestedAt] = DateTimeOffset.UtcNow.ToString("O") },
            },
        }.ToJsonString();
        await Parallel.ForEachAsync(apps.OrderByDescending(a => a.Touched), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (app, token) =>
        {
            var (ns, name, _, _) = app;
            try
            {
                await api.SendAsync(HttpMethod.Patch, ApplicationPaths.Object(ns, name),
                    patch, "application/merge-patch+json", token);
                Interlocked.Increment(ref annotated);
            }
            catch (KubeApiException e)
            {
                log.LogWarning("{Namespace}/{Name}: cannot request a refresh for a push: {Error}", ns, name, e.Message);
            }
        });
        return annotated;
    }

    /// <summary>The Applications a push concerns, each with whether its changed files touch the Application's path (<see cref="PushedPaths"/>).</summary>
    internal static IEnumerable<(string Namespace, string Name, string RepoUrl, bool Touched)> Matching(IEnumerable<JsonObject> apps, HashSet<string> repos, PushEvent push)
    {
        foreach (var app in apps)
        {
            var source = app["spec"]?["source"];
            var repoUrl = (string?)source?["repoURL"];
            if (string.IsNullOrEmpty(repoUrl) || !repos.Contains(Source.RepoUrl.Comparable(repoUrl))) continue;
            if (!RevisionMatcher.Matches((string?)source?["targetRevision"], push.Refs, push.DefaultBranch)) continue;
            var ns = (string?)app["metadata"]?["namespace"];
            var name = (string?)app["metadata"]?["name"];
            if (ns is null || name is null) continue;
            var touched = push.ChangedFiles is null ||
                PushedPaths.Touches(push.ChangedFiles, (string?)source?["path"], Render.HelmSource.From(source?["helm"] as JsonObject).ValueFiles);
            yield return (ns, name, repoUrl, touched);
        }
    }
}
