using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Cli;

/// <summary>
/// `gitops hold KIND/NAME --for 1h --reason R`: an emergency fix. Sets gitops.dev/drift-hold and
/// gitops.dev/drift-hold-until on a live managed object, so self-heal leaves it alone until then.
/// </summary>
internal static class HoldCommand
{
    public static Command Build()
    {
        var common = new CliCommon();
        var target = new Argument<string>("OBJECT") { Description = "the live object, as kubectl names it: KIND/NAME (deployment/web, configmap/settings, deployments.apps/web)" };
        var @for = SyncCommand.DurationOption("--for", TimeSpan.FromHours(1), "how long self-heal leaves the object alone (like 30m, 1h, 2h30m; default 1h)");
        var reason = new Option<string?>("--reason") { Description = "why (shown in the app's DriftHeld condition), e.g. \"incident 42 hotfix\"" };
        var clear = new Option<bool>("--clear") { Description = "end the hold now (self-heal resumes)" };
        var command = new Command("hold", "Stop self-heal of one live object for a while (an emergency fix), with a reason") { target, @for, reason, clear };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var connection = common.Connect(result);
            var (type, name) = Split(result.GetValue(target)!);
            var resource = await FindResourceAsync(connection.Api, type, ct)
                ?? throw new CliException($"the API serves no resource type \"{type}\" (see `kubectl api-resources`)");
            var ns = resource.Namespaced ? common.NamespaceOf(result, connection) : null;
            var path = resource.ObjectPath(ns, name);
            var live = await connection.Api.GetAsync(path, ct)
                ?? throw new CliException($"{resource.Kind} {(ns is null ? "" : ns + "/")}{name} not found (pick the namespace with -n)");
            var subject = $"{resource.Kind}/{(ns is null ? "" : ns + "/")}{name}";
            JsonObject annotations;
            if (result.GetValue(clear))
                annotations = new JsonObject { [Annotations.DriftHold] = null, [Annotations.DriftHoldUntil] = null };
            else
            {
                var text = result.GetValue(reason);
                if (string.IsNullOrWhiteSpace(text)) throw new CliException("say why with --reason \"...\" (it is shown in the Application's DriftHeld condition)");
                var until = DateTimeOffset.UtcNow + result.GetValue(@for);
                annotations = new JsonObject
                {
                    [Annotations.DriftHold] = text,
                    [Annotations.DriftHoldUntil] = until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                };
            }
            if ((string?)live["metadata"]?["annotations"]?[Annotations.TrackingId] is null)
                await o.Error.WriteLineAsync($"note: {subject} is not managed by an Application (no {Annotations.TrackingId}); the hold has no effect on it");
            await connection.Api.SendAsync(HttpMethod.Patch, path, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }.ToJsonString(),
                "application/merge-patch+json", ct);
            await o.Out.WriteLineAsync(result.GetValue(clear)
                ? $"{subject}: hold ended, self-heal resumes"
                : $"{subject}: self-heal held until {annotations[Annotations.DriftHoldUntil]} ({result.GetValue(reason)})");
            return 0;
        });
        return command;
    }

    private static (string Type, string Name) Split(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
            throw new CliException($"name the object as KIND/NAME (like deployment/web), got \"{text}\"");
        return (text[..slash], text[(slash + 1)..]);
    }

    /// <summary>Finds a resource type by kind, plural, singular or short name (optionally .group), as kubectl does.</summary>
    internal static async Task<ResourceInfo?> FindResourceAsync(IKubeApi api, string type, CancellationToken ct)
    {
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        var (word, group) = dot > 0 ? (type[..dot].ToLowerInvariant(), type[(dot + 1)..]) : (type.ToLowerInvariant(), null);
        var versions = new List<string>();
        if (group is null or "" or "core") versions.Add("v1");
        var groups = await api.GetAsync("/apis", ct);
        foreach (var g in (groups?["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)g["name"];
            if (group is not null && name != group) continue;
            if ((string?)g["preferredVersion"]?["groupVersion"] is { } gv) versions.Add(gv);
        }
        foreach (var gv in versions)
        {
            var doc = await api.GetAsync(gv == "v1" ? "/api/v1" : $"/apis/{gv}", ct);
            foreach (var r in (doc?["resources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var plural = (string?)r["name"] ?? "";
                if (plural.Contains('/', StringComparison.Ordinal)) continue;
                var kind = (string?)r["kind"] ?? "";
                var shortNames = (r["shortNames"] as JsonArray ?? []).Select(s => (string?)s);
                if (word == plural || word == kind.ToLowerInvariant() || word == (string?)r["singularName"] || shortNames.Contains(word))
                {
                    var slash = gv.IndexOf('/', StringComparison.Ordinal);
                    return new ResourceInfo(slash < 0 ? "" : gv[..slash], slash < 0 ? gv : gv[(slash + 1)..], kind, plural, (bool?)r["namespaced"] ?? false);
                }
            }
        }
        return null;
    }
}
