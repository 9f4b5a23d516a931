using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Cli;

/// <summary>Reads and annotates gitops.dev/v1alpha1 Applications; a missing CRD or app is a one-line CliException.</summary>
internal sealed class ApplicationClient(IKubeApi api)
{
    public const string GroupVersionPath = "/apis/gitops.dev/v1alpha1";

    public static string CollectionPath(string? ns) =>
        ns is null ? $"{GroupVersionPath}/applications" : $"{GroupVersionPath}/namespaces/{Uri.EscapeDataString(ns)}/applications";

    public static string ObjectPath(string ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public async Task<JsonObject> GetAsync(string ns, string name, CancellationToken ct)
    {
        var app = await api.GetAsync(ObjectPath(ns, name), ct);
        if (app is not null) return app;
        await EnsureCrdAsync(ct);
        throw new CliException($"Application {ns}/{name} not found (list them with `gitops status -A`, or pick the namespace with -n)");
    }

    /// <summary>Applications in a namespace, or in all namespaces when ns is null, sorted by namespace and name.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string? ns, CancellationToken ct)
    {
        var list = await api.GetAsync(CollectionPath(ns), ct);
        if (list is null)
        {
            await EnsureCrdAsync(ct);
            return [];
        }
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .OrderBy(a => (string?)a["metadata"]?["namespace"], StringComparer.Ordinal)
            .ThenBy(a => (string?)a["metadata"]?["name"], StringComparer.Ordinal)];
    }

    /// <summary>Sets (or, with a null value, removes) annotations of an Application with a merge patch.</summary>
    public async Task<JsonObject> AnnotateAsync(string ns, string name, IReadOnlyDictionary<string, string?> annotations, CancellationToken ct)
    {
        await GetAsync(ns, name, ct);
        var values = new JsonObject();
        foreach (var (k, v) in annotations) values[k] = v;
        return await PatchAsync(ns, name, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = values } }, ct);
    }

    public async Task<JsonObject> PatchAsync(string ns, string name, JsonObject mergePatch, CancellationToken ct)
    {
        try
        {
            return await api.SendAsync(HttpMethod.Patch, ObjectPath(ns, name), mergePatch.ToJsonString(), "application/merge-patch+json", ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            throw new CliException($"Application {ns}/{name} not found (list them with `gitops status -A`, or pick the namespace with -n)");
        }
    }

    private async Task EnsureCrdAsync(CancellationToken ct)
    {
        if (await api.GetAsync(GroupVersionPath, ct) is null)
            throw new CliException("the Application CRD (applications.gitops.dev) is not installed in this cluster: kubectl apply -f crds/application.yaml");
    }

    public static string Name(JsonObject app) => (string?)app["metadata"]?["name"] ?? "";

    public static string Namespace(JsonObject app) => (string?)app["metadata"]?["namespace"] ?? "";

    public static string? Sync(JsonObject app) => (string?)app["status"]?["sync"]?["status"];

    public static string? Health(JsonObject app) => (string?)app["status"]?["health"]?["status"];

    public static string? Revision(JsonObject app) => (string?)app["status"]?["sync"]?["revision"];

    public static bool IsSuspended(JsonObject app) => (bool?)app["spec"]?["suspend"] == true;

    public static JsonObject? Condition(JsonObject app, string type) =>
        (app["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
}
