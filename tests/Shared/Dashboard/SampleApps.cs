using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Dashboard;

namespace GitOps.Testing.Dashboard;

/// <summary>Applications with varied statuses, made in memory, for render measurements and layout tests.</summary>
public static class SampleApps
{
    public static List<JsonObject> Make(int count, int namespaces = 10)
    {
        var list = new List<JsonObject>(count);
        for (var i = 0; i < count; i++)
        {
            var (sync, health) = (i % 10) switch
            {
                0 => ("OutOfSync", "Progressing"),
                1 => ("Synced", "Degraded"),
                _ => ("Synced", "Healthy"),
            };
            var sha = (i * 2654435761L).ToString("x16", CultureInfo.InvariantCulture).PadLeft(40, 'a');
            var conditions = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = health == "Healthy" ? "True" : "False", ["reason"] = health == "Healthy" ? "Succeeded" : health,
                ["message"] = health == "Healthy" ? $"synced to {sha[..12]}" : "2 of 3 replicas ready", ["lastTransitionTime"] = "2026-12-06T10:00:00Z", ["observedGeneration"] = 1,
            });
            if (i % 25 == 7)
                conditions.Add(new JsonObject
                {
                    ["type"] = "SyncError", ["status"] = "True", ["reason"] = "ApplyFailed",
                    ["message"] = "Deployment/team/web: admission webhook denied the request", ["lastTransitionTime"] = "2026-12-06T10:00:00Z", ["observedGeneration"] = 1,
                });
            list.Add(new JsonObject
            {
                ["apiVersion"] = "gitops.dev/v1alpha1",
                ["kind"] = "Application",
                ["metadata"] = new JsonObject { ["name"] = $"app-{i:0000}", ["namespace"] = $"team-{i % namespaces:00}", ["uid"] = Guid.NewGuid().ToString(), ["generation"] = 1 },
                ["spec"] = new JsonObject
                {
                    ["project"] = $"project-{i % 3}",
                    ["source"] = new JsonObject { ["repoURL"] = "https://git.example.com/org/config.git", ["path"] = $"apps/app-{i:0000}", ["targetRevision"] = "main" },
                    ["destination"] = new JsonObject { ["namespace"] = $"team-{i % namespaces:00}" },
                },
                ["status"] = new JsonObject
                {
                    ["observedGeneration"] = 1,
                    ["sync"] = new JsonObject { ["status"] = sync, ["revision"] = sha, ["revisionMessage"] = $"app-{i:0000}: bump image to 1.{i % 17}.{i % 5}" },
                    ["health"] = new JsonObject { ["status"] = health, ["message"] = health == "Healthy" ? "" : "2 of 3 replicas ready" },
                    ["conditions"] = conditions,
                    ["operationState"] = new JsonObject { ["phase"] = "Succeeded", ["startedAt"] = "2026-12-06T10:00:00Z", ["finishedAt"] = "2026-12-06T10:00:02Z" },
                    ["history"] = new JsonArray(new JsonObject { ["id"] = 1, ["revision"] = sha, ["deployedAt"] = "2026-12-06T10:00:02Z", ["message"] = "first" }),
                },
            });
        }
        return list;
    }
}

/// <summary>An in-memory <see cref="IApplicationSource"/>: tests add, change and remove Applications and the dashboard sees it as from a watch.</summary>
public sealed class MemoryApplicationSource(IEnumerable<JsonObject> apps) : IApplicationSource
{
    private readonly Dictionary<(string, string), JsonObject> _apps = apps.ToDictionary(a => ((string)a["metadata"]!["namespace"]!, (string)a["metadata"]!["name"]!));
    private readonly Lock _lock = new();

    public bool HasSynced => true;

    public IReadOnlyList<JsonObject> List()
    {
        lock (_lock) return [.. _apps.Values.Select(a => a.DeepClone().AsObject())];
    }

    public JsonObject? Get(string ns, string name)
    {
        lock (_lock) return _apps.TryGetValue((ns, name), out var a) ? a.DeepClone().AsObject() : null;
    }

    public void Put(JsonObject app)
    {
        var key = ((string)app["metadata"]!["namespace"]!, (string)app["metadata"]!["name"]!);
        lock (_lock) _apps[key] = app;
        Changed?.Invoke(key.Item1, key.Item2);
    }

    public event Action<string, string>? Changed;
}

/// <summary>Lets every token in as "tester" with every right (render measurements only).</summary>
public sealed class AllowAllAccess : IDashboardAccess
{
    public bool UsesTokens => true;
    public Task<Viewer?> AuthenticateAsync(string? token, CancellationToken ct) => Task.FromResult<Viewer?>(new Viewer("tester", ["system:authenticated"], "tester"));
    public Task<bool> AllowedAsync(Viewer viewer, AccessCheck check, CancellationToken ct) => Task.FromResult(true);
}

/// <summary>An API that answers nothing: pages that need none of it (the Applications page) never call it.</summary>
public sealed class NoKubeApi : IKubeApi
{
    public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => Task.FromResult<JsonObject?>(null);
    public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => throw new KubeApiException(0, "None", "no API in this test");
    public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => SendAsync(method, path, body, contentType, ct);
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        yield break;
    }
}
