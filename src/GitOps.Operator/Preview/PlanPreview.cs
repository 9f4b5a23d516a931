using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Engine.Policy;
using GitOps.Engine.Policy.Guardrails;
using GitOps.Engine.Policy.Projects;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Compare;
using GitOps.Operator.Render;
using GitOps.Operator.Status;
using GitOps.Operator.Source;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Operator.Preview;

/// <summary>Why a preview cannot be made (an unreadable spec, a broken Project): one line a person can act on.</summary>
public sealed class PreviewException(string message) : Exception(message);

/// <summary>
/// The plan a sync would carry out now (apply, prune, leave, hold, each with its reason) and a unified
/// diff of every object it would change, Secret data masked. Built from the operator's own stages
/// (source, render, compare, plan), so it shows what the operator will do: `gitops diff` prints it,
/// the dashboard shows it.
/// </summary>
public static class PlanPreview
{
    public const string Mask = "********";

    public sealed record PlanDiff(string App, string Revision, SyncPlan Plan, IReadOnlyList<(SyncTask Task, string Diff)> Tasks, IReadOnlyList<string> Errors,
        PolicyReport Violations)
    {
        public string ToText()
        {
            var sb = new StringBuilder();
            sb.Append($"Plan of a sync of {App} at {Revision}: {Plan.Summary}\n");
            if (Plan.PruneBlocked) sb.Append($"PruneBlocked: {Plan.PruneBlockedMessage}\n");
            foreach (var e in Errors) sb.Append($"error: {e}\n");
            if (Violations.HasBlocking) sb.Append("The operator will not sync this: a blocking policy violation.\n");
            foreach (var v in Violations.Violations) sb.Append($"policy: {v}\n");
            foreach (var (task, diff) in Tasks)
            {
                sb.Append('\n').Append($"{task.Action,-5} {task.Key}  {(task.Message.Length == 0 ? task.Reason : $"{task.Reason}: {task.Message}")}\n");
                if (diff.Length > 0) sb.Append(diff);
            }
            return sb.ToString();
        }

        public JsonObject ToJson() => new()
        {
            ["application"] = App,
            ["revision"] = Revision,
            ["summary"] = new JsonObject { ["apply"] = Plan.Summary.Apply, ["prune"] = Plan.Summary.Prune, ["skip"] = Plan.Summary.Skip, ["hold"] = Plan.Summary.Hold },
            ["pruneBlocked"] = Plan.PruneBlocked,
            ["errors"] = new JsonArray([.. Errors.Select(e => (JsonNode)e)]),
            ["violations"] = new JsonArray([.. Violations.Violations.Select(v => (JsonNode)new JsonObject
            {
                ["object"] = v.Key?.ToString(),
                ["rule"] = v.Rule,
                ["message"] = v.Message,
                ["action"] = v.Action.ToString(),
            })]),
            ["tasks"] = new JsonArray([.. Tasks.Select(t => (JsonNode)new JsonObject
            {
                ["action"] = t.Task.Action.ToString(),
                ["object"] = t.Task.Key.ToString(),
                ["reason"] = t.Task.Reason,
                ["message"] = t.Task.Message,
                ["diff"] = t.Diff,
            })]),
        };
    }

    /// <summary>
    /// The plan a sync of <paramref name="application"/> would carry out now, with a unified diff per object,
    /// computed by the operator's own stages out of <paramref name="services"/> (source, render, compare).
    /// </summary>
    public static async Task<PlanDiff> ComputeAsync(IServiceProvider services, IKubeApi api, JsonObject application, string? localPath, CancellationToken ct)
    {
        Application app;
        try { app = Application.Parse(application); }
        catch (System.Text.Json.JsonException e) { throw new PreviewException($"the Application's spec cannot be read: {e.Message}"); }
        var spec = app.Spec;
        var status = ApplicationStatus.Of(application);
        var now = DateTimeOffset.UtcNow;
        var project = await ProjectOfAsync(api, spec.Project, ct);
        var write = WriteOptions.For(app, project.ServiceAccountName, null);
        SourceSnapshot snapshot;
        if (localPath is not null)
            snapshot = new SourceSnapshot("local", Path.GetFullPath(localPath), "local checkout", "", now);
        else
        {
            var pinned = long.TryParse(app.Annotation(Annotations.RollbackTo), out var id) ? status.FindHistory(id)?.Revision : null;
            snapshot = await services.GetRequiredService<SourceResolver>().FetchAsync(app.Namespace, spec.Source, spec.IntervalValue, forceResolve: true, pinned, ct);
        }
        var clusters = services.GetRequiredService<Controller.DestinationClusters>();
        Cluster.Remote.ClusterRef cluster;
        Controller.DestinationCluster destination;
        try
        {
            cluster = clusters.RefOf(app);
            destination = await clusters.ResolveAsync(app.Identity, cluster, ct);
        }
        catch (Exception e) when (e is Cluster.Remote.ClusterCredentialsException or TerminalReconcileException)
        {
            throw new PreviewException($"the destination cluster cannot be used: {e.Message}");
        }
        var desired = await services.GetRequiredService<DesiredStateBuilder>().BuildAsync(app, snapshot, destination.Discovery, destination.Scope, ct);
        var previous = Engine.Inventory.Inventory.Parse(status.InventoryEntries);
        var live = await destination.Comparer.CompareAsync(app, write, desired.Manifests, previous, ct);
        var policy = spec.SyncPolicy;
        var plan = PlanBuilder.Build(new PlanInput(app.Identity, desired.Manifests, live.Objects, previous,
            new SyncPolicy(
                Automated: policy?.Automated is not null,
                Prune: true,
                SelfHeal: policy?.Automated?.SelfHeal ?? false,
                AllowEmpty: policy?.Automated?.AllowEmpty ?? false,
                PruneLast: policy?.HasOption("PruneLast=true") ?? false,
                PruneLimit: policy?.PruneLimit?.ToString(),
                ManualSyncRequested: true),
            now, snapshot.Commit != status.Sync?.Revision));
        var tasks = plan.Tasks.Select(t => (t, ObjectDiff(t, live.Objects.GetValueOrDefault(t.Key)))).ToList();
        var revision = localPath is null ? Applications.Revision.Short(snapshot.Commit) : $"local {Path.GetFullPath(localPath)}";
        var violations = ProjectBounds.CheckApplication(project, new ApplicationFacts(spec.Source.RepoURL, app.DestinationNamespace, spec.Destination.ServiceAccountName,
                cluster.RegisteredName))
            .Concat(ProjectBounds.CheckObjects(project, desired.Manifests)).Concat(GuardrailChecker.Check(desired.Manifests, project.Guardrails));
        var errors = desired.Errors.Concat(live.Errors).Select(e => e.Value).Order(StringComparer.Ordinal);
        return new PlanDiff(app.Identity.ToString(), revision, plan, tasks, [.. errors], violations);
    }

    /// <summary>The Application's Project as the operator reads it: "default" bounds nothing while it does not exist.</summary>
    private static async Task<Project> ProjectOfAsync(IKubeApi api, string? name, CancellationToken ct)
    {
        name = string.IsNullOrEmpty(name) ? Project.DefaultName : name;
        JsonObject? obj;
        try
        {
            obj = await api.GetAsync($"/apis/gitops.dev/v1alpha1/projects/{Uri.EscapeDataString(name)}", ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            obj = null;
        }
        try
        {
            return Projects.ProjectStore.From(name, obj);
        }
        catch (Projects.ProjectException e)
        {
            throw new PreviewException($"the Application's {e.Message}");
        }
    }

    private static string ObjectDiff(SyncTask task, LiveInfo? live)
    {
        var normalizers = DiffOptions.Default.Normalizers;
        JsonObject? before = null, after = null;
        switch (task.Action)
        {
            case SyncAction.Apply when live?.Diff is { NormalizedPredicted: { } p, NormalizedLive: { } l }:
                (before, after) = (l, p);
                break;
            case SyncAction.Apply or SyncAction.Hold when task.Desired is not null:
                before = task.Live is null ? null : normalizers.Normalize(task.Live);
                after = normalizers.Normalize(task.Desired.ToJson());
                break;
            case SyncAction.Prune when task.Live is not null:
                before = normalizers.Normalize(task.Live);
                break;
            default:
                return "";
        }
        MaskSecrets(before, after);
        return UnifiedDiff.Of(before is null ? "" : YamlText.Of(before, sortKeys: true), after is null ? "" : YamlText.Of(after, sortKeys: true),
            before is null ? "/dev/null" : $"live/{task.Key}", after is null ? "/dev/null" : $"desired/{task.Key}");
    }

    /// <summary>Replaces Secret values by a mask; a value that differs between the sides gets a different mask, so the diff still shows which keys change.</summary>
    internal static void MaskSecrets(JsonObject? before, JsonObject? after)
    {
        if ((string?)(before ?? after)?["kind"] != "Secret") return;
        foreach (var field in new[] { "data", "stringData" })
        {
            var b = before?[field] as JsonObject;
            var a = after?[field] as JsonObject;
            foreach (var key in (b?.Select(p => p.Key) ?? []).Union(a?.Select(p => p.Key) ?? []).ToList())
            {
                var same = b?.ContainsKey(key) != true || a?.ContainsKey(key) != true || JsonNode.DeepEquals(b[key], a[key]);
                if (b?.ContainsKey(key) == true) b[key] = Mask;
                if (a?.ContainsKey(key) == true) a[key] = same ? Mask : Mask + " (changed)";
            }
        }
    }
}
