using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Hooks;
using GitOps.Engine.Model;
using GitOps.Engine.Operation;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Apply;

/// <summary>One hook run: the hook's key in Git (its generated name may differ) and how it ended.</summary>
public sealed record HookRun(ResourceKey Key, HookStatus Status)
{
    public bool Succeeded => Status.Phase == nameof(HookPhase.Succeeded);
}

/// <summary>
/// Runs the hooks of one kind for a sync: each is created anew (the object of its previous run deleted
/// first, unless its delete policy says otherwise), waited for until it finishes or its timeout passes,
/// and deleted as its delete policy says. Hooks run one after another, by sync wave then name; the
/// first that fails stops the rest. Hooks are never in the inventory and never pruned as ordinary objects.
/// A worker waits while a hook runs (at most its timeout).
/// </summary>
public sealed class HookRunner(IKubeApi api, ApiDiscovery discovery, ServerSideApplier applier, ApplyOptions options)
{
    public const string HookIdLabel = "gitops.dev/hook-id";

    public async Task<IReadOnlyList<HookRun>> RunAsync(Application app, WriteOptions write, IReadOnlyList<Hook> hooks, HookKind kind, CancellationToken ct)
    {
        var results = new List<HookRun>();
        foreach (var hook in hooks.Where(h => h.Kinds.Contains(kind)).OrderBy(h => h.Wave).ThenBy(h => h.Manifest.Name, StringComparer.Ordinal))
        {
            var result = new HookRun(hook.Manifest.Key, await RunOneAsync(app, write, hook, kind, ct));
            results.Add(result);
            if (!result.Succeeded) break;
        }
        return results;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until every object the sync applied is Healthy; why not, or null when they are.</summary>
    public async Task<string?> WaitHealthyAsync(IReadOnlyDictionary<ResourceKey, JsonObject> applied, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string? waiting = null;
            foreach (var (key, obj) in applied)
            {
                var resource = await discovery.FindByGroupKindAsync(key.Group, key.Kind, ct);
                var live = resource is null ? obj : await api.GetAsync(resource.ObjectPath(key.Namespace.Length == 0 ? null : key.Namespace, key.Name), ct) ?? obj;
                if (HealthRegistry.Default.Assess(live) is { Code: not HealthCode.Healthy } health)
                {
                    waiting = $"{key} is {health.Code}: {health.Message}";
                    break;
                }
            }
            if (waiting is null) return null;
            if (DateTime.UtcNow > deadline) return $"the synced objects were not healthy within {timeout.TotalSeconds:0}s ({waiting})";
            await Task.Delay(250, ct);
        }
    }

    private async Task<HookStatus> RunOneAsync(Application app, WriteOptions write, Hook hook, HookKind kind, CancellationToken ct)
    {
        var shown = $"{hook.Manifest.Kind}/{hook.Manifest.Name}";
        try
        {
            var resource = await discovery.FindAsync(hook.Manifest.ApiVersion, hook.Manifest.Kind, ct)
                ?? throw new KubeApiException(404, "NotFound", $"the server does not serve {hook.Manifest.Kind} in {hook.Manifest.ApiVersion}");
            var ns = resource.Namespaced ? hook.Manifest.Namespace : null;
            var id = Hooks.IdOf(app.Identity, hook.Manifest);
            if (hook.DeletePolicy.HasFlag(HookDeletePolicy.BeforeHookCreation) || !hook.Manifest.HasGenerateName)
                await DeleteEarlierRunsAsync(resource, ns, id, write, ct);
            var body = hook.Manifest.ToJson();
            var labels = body["metadata"]!["labels"] as JsonObject ?? new JsonObject();
            labels[HookIdLabel] = id;
            // Not a managed object: its status changes must not start reconciles (a failing hook would start a sync again).
            labels.Remove(Annotations.ManagedByLabel);
            body["metadata"]!["labels"] = labels;
            var created = await api.SendAsAsync(write.Impersonate, HttpMethod.Post, resource.CollectionPath(ns) + $"?fieldManager={Annotations.FieldManager}&fieldValidation={write.FieldValidation}",
                body.ToJsonString(), "application/json", ct);
            var name = (string?)created["metadata"]?["name"] ?? hook.Manifest.Name;
            shown = $"{hook.Manifest.Kind}/{name}";
            var (phase, message) = await WaitAsync(resource.ObjectPath(ns, name), hook.Timeout, ct);
            if ((phase == HookPhase.Succeeded && hook.DeletePolicy.HasFlag(HookDeletePolicy.HookSucceeded))
                || (phase == HookPhase.Failed && hook.DeletePolicy.HasFlag(HookDeletePolicy.HookFailed)))
                await applier.DeleteAsync(resource, ns, name, (string?)created["metadata"]?["uid"], write, ct);
            return new HookStatus(kind.ToString(), shown, phase.ToString(), message);
        }
        catch (KubeApiException e) when (!e.IsTransient)
        {
            return new HookStatus(kind.ToString(), shown, nameof(HookPhase.Failed), e.Message);
        }
    }

    /// <summary>Deletes the objects of this hook's earlier runs (found by its label), and waits until they are gone.</summary>
    private async Task DeleteEarlierRunsAsync(ResourceInfo resource, string? ns, string id, WriteOptions write, CancellationToken ct)
    {
        var list = await api.SendAsAsync(write.Impersonate, HttpMethod.Get, resource.CollectionPath(ns) + $"?labelSelector={Uri.EscapeDataString($"{HookIdLabel}={id}")}",
            null, "application/json", ct);
        var earlier = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var obj in earlier)
            await applier.DeleteAsync(resource, (string?)obj["metadata"]?["namespace"], (string)obj["metadata"]!["name"]!, (string?)obj["metadata"]?["uid"], write, ct);
        var deadline = DateTime.UtcNow + options.EstablishTimeout;
        foreach (var obj in earlier)
        {
            var path = resource.ObjectPath((string?)obj["metadata"]?["namespace"], (string)obj["metadata"]!["name"]!);
            while (await api.GetAsync(path, ct) is { } still && (string?)still["metadata"]?["uid"] == (string?)obj["metadata"]?["uid"])
            {
                if (DateTime.UtcNow > deadline)
                    throw new KubeApiException(409, "Conflict", $"the previous run {obj["metadata"]?["name"]} is still there after {options.EstablishTimeout.TotalSeconds:0}s (a finalizer?)");
                await Task.Delay(100, ct);
            }
        }
    }

    private async Task<(HookPhase, string)> WaitAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var live = await api.GetAsync(path, ct);
            if (live is null) return (HookPhase.Failed, "deleted before it finished");
            var (phase, message) = Hooks.Assess(live, HealthRegistry.Default);
            if (phase != HookPhase.Running) return (phase, message);
            if (DateTime.UtcNow > deadline) return (HookPhase.Failed, $"did not finish within {timeout.TotalSeconds:0}s ({message})");
            await Task.Delay(250, ct);
        }
    }
}
