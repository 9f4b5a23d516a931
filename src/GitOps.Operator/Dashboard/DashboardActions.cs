using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Status;

namespace GitOps.Operator.Dashboard;

/// <summary>An action a person can take from the dashboard, with what it asks before and says after.</summary>
public sealed record DashboardAction(string Name, string Label, string Question, string Done)
{
    public static IReadOnlyDictionary<string, DashboardAction> All { get; } = new[]
    {
        new DashboardAction("sync", "Sync", "Sync this Application now (apply and prune what differs from Git), even without automated sync?", "Sync requested; the page follows the operator as it works."),
        new DashboardAction("refresh", "Refresh", "Look at Git and compare again now?", "Refresh requested."),
        new DashboardAction("suspend", "Suspend", "Suspend this Application? Nothing is applied, pruned or healed until it is resumed.", "Suspended."),
        new DashboardAction("resume", "Resume", "Resume this Application? The operator reconciles it again.", "Resumed."),
        new DashboardAction("rollback", "Roll back", "Roll back to this history entry and stay on it until the pin is cleared?", "Rolling back; the Application stays on that revision until you follow Git again."),
        new DashboardAction("unpin", "Follow Git again", "Remove the rollback pin and follow the target revision again?", "Following Git again."),
        new DashboardAction("hold", "Hold drift", "Stop self-heal of this object for a while (an emergency fix)?", "Self-heal of the object is held."),
        new DashboardAction("unhold", "Clear hold", "End the drift hold of this object? Self-heal resumes.", "Hold cleared; self-heal resumes."),
    }.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>Actions on one object of the Application rather than on the Application.</summary>
    public bool OnObject => Name is "hold" or "unhold";
}

/// <summary>Who acts: the viewer, and the bearer token they signed in with (none for `gitops dashboard`). The token is never shown or logged.</summary>
internal sealed record Actor(Viewer Viewer, string? Token)
{
    public override string ToString() => Viewer.Name;
}

/// <summary>Why an action was not done: an HTTP status and a sentence.</summary>
public sealed class ActionException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Carries out dashboard actions as the CLI does: annotations and patches on the Application
/// (sync, refresh, rollback: gitops.dev/* annotations; suspend: spec.suspend) or the live object
/// (drift holds), so the operator stays the only status writer. Every write is made as the person:
/// with their own bearer token when <paramref name="withTheirToken"/> (the operator's dashboard), so
/// the API server authenticates, authorises and audits it as them, groups and uid included, never
/// as the operator. Impersonation cannot do this from .NET: HttpClient joins repeated
/// Impersonate-Group headers into one line, which the API server reads as one group
/// (kubernetes/kubernetes#94683).
/// </summary>
internal sealed class DashboardActions(IKubeApi api, ApiDiscovery discovery, bool withTheirToken)
{
    public static readonly IReadOnlyList<TimeSpan> HoldDurations = [TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromHours(24)];

    /// <summary>The patch rights the action needs: on the Application, or on the object for holds.</summary>
    public async Task<AccessCheck> RequiredAsync(AppView app, DashboardAction action, string? objectKey, CancellationToken ct)
    {
        if (!action.OnObject) return AccessCheck.PatchApp(app.Namespace, app.Name);
        var (resource, ns, name) = await ObjectAsync(app, objectKey, ct);
        return new AccessCheck("patch", resource.Group, resource.Plural, ns ?? "", name);
    }

    public async Task<string> RunAsync(Actor actor, AppView app, DashboardAction action, IReadOnlyDictionary<string, string> form, CancellationToken ct)
    {
        var now = Now();
        switch (action.Name)
        {
            case "sync":
                await AnnotateAsync(actor, app, new() { [Annotations.SyncRequestedAt] = now }, ct);
                return action.Done;
            case "refresh":
                await AnnotateAsync(actor, app, new() { [Annotations.RefreshRequestedAt] = now }, ct);
                return action.Done;
            case "suspend" or "resume":
                await PatchAppAsync(actor, app, new JsonObject { ["spec"] = new JsonObject { ["suspend"] = action.Name == "suspend" } }, ct);
                return action.Done;
            case "rollback":
                if (!long.TryParse(form.GetValueOrDefault("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || app.Status.FindHistory(id) is not { } entry)
                    throw new ActionException(400, "That history entry does not exist (any more).");
                await AnnotateAsync(actor, app, new() { [Annotations.RollbackTo] = id.ToString(CultureInfo.InvariantCulture), [Annotations.SyncRequestedAt] = now }, ct);
                return $"Rolling back to {Revision.Short(entry.Revision)} (history {id}); the Application stays there until you follow Git again.";
            case "unpin":
                await AnnotateAsync(actor, app, new() { [Annotations.RollbackTo] = null, [Annotations.RefreshRequestedAt] = now }, ct);
                return action.Done;
            case "hold" or "unhold":
                return await HoldAsync(actor, app, action, form, ct);
            default:
                throw new ActionException(404, "No such action.");
        }
    }

    private async Task<string> HoldAsync(Actor actor, AppView app, DashboardAction action, IReadOnlyDictionary<string, string> form, CancellationToken ct)
    {
        var objectKey = form.GetValueOrDefault("object");
        var (resource, ns, name) = await ObjectAsync(app, objectKey, ct);
        JsonObject annotations;
        if (action.Name == "unhold")
            annotations = new JsonObject { [Annotations.DriftHold] = null, [Annotations.DriftHoldUntil] = null };
        else
        {
            var reason = form.GetValueOrDefault("reason")?.Trim();
            if (string.IsNullOrEmpty(reason)) throw new ActionException(400, "Say why the object is held (it is shown in the DriftHeld condition).");
            if (reason.Length > 200) reason = reason[..200];
            var minutes = int.TryParse(form.GetValueOrDefault("minutes"), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 60;
            var duration = HoldDurations.FirstOrDefault(d => (int)d.TotalMinutes == minutes, TimeSpan.FromHours(1));
            annotations = new JsonObject
            {
                [Annotations.DriftHold] = reason,
                [Annotations.DriftHoldUntil] = (DateTimeOffset.UtcNow + duration).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
        }
        try
        {
            await MergePatchAsync(actor, resource.ObjectPath(ns, name), new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            throw new ActionException(404, $"{objectKey} does not exist in the cluster.");
        }
        return action.Name == "unhold" ? $"Hold of {objectKey} cleared; self-heal resumes." : $"Self-heal of {objectKey} held until {annotations[Annotations.DriftHoldUntil]}.";
    }

    /// <summary>An object the Application manages, named as `Kind/ns/name`; anything else is refused.</summary>
    private async Task<(ResourceInfo Resource, string? Namespace, string Name)> ObjectAsync(AppView app, string? objectKey, CancellationToken ct)
    {
        var managed = app.Status.Resources.FirstOrDefault(r => $"{r.Kind}/{r.Namespace}/{r.Name}" == objectKey)
            ?? throw new ActionException(400, "That object is not one this Application manages.");
        var resource = await discovery.FindAsync(managed.Group.Length == 0 ? managed.Version : $"{managed.Group}/{managed.Version}", managed.Kind, ct)
            ?? throw new ActionException(404, $"The API does not serve {managed.Kind} any more.");
        return (resource, resource.Namespaced ? managed.Namespace : null, managed.Name);
    }

    private Task AnnotateAsync(Actor actor, AppView app, Dictionary<string, string?> values, CancellationToken ct)
    {
        var annotations = new JsonObject();
        foreach (var (k, v) in values) annotations[k] = v;
        return PatchAppAsync(actor, app, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }, ct);
    }

    private async Task PatchAppAsync(Actor actor, AppView app, JsonObject patch, CancellationToken ct)
    {
        try
        {
            await MergePatchAsync(actor, ApplicationPaths.Object(app.Namespace, app.Name), patch, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            throw new ActionException(404, $"Application {app.Key} does not exist any more.");
        }
    }

    private async Task MergePatchAsync(Actor actor, string path, JsonObject patch, CancellationToken ct)
    {
        if (!withTheirToken)
        {
            await api.SendAsync(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", ct);
            return;
        }
        if (actor.Token is null) throw new ActionException(403, $"{actor.Viewer.Name} has no token to act with.");
        try
        {
            await api.SendWithTokenAsync(actor.Token, HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", ct);
        }
        catch (NotSupportedException e)
        {
            throw new ActionException(501, $"The operator cannot act as you: {e.Message}.");
        }
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
