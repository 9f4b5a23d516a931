using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Cli;

/// <summary>Reads and annotates gitops.dev/v1alpha1 Applications; a missing CRD or app is a one-line CliException.</summary>
internal sealed class ApplicationClient(IKubeApi api)
{
    public async Task<JsonObject> GetAsync(string ns, string name, CancellationToken ct)
    {
        var app = await api.GetAsync(ApplicationPaths.Object(ns, name), ct);
        if (app is not null) return app;
        await EnsureCrdAsync(ct);
        throw new CliException($"Application {ns}/{name} not found (list them with `gitops status -A`, or pick the namespace with -n)");
    }

    /// <summary>The Application, or null when there is none of that name.</summary>
    public Task<JsonObject?> TryGetAsync(string ns, string name, CancellationToken ct) => api.GetAsync(ApplicationPaths.Object(ns, name), ct);

    /// <summary>Applications in a namespace, or in all namespaces when ns is null, sorted by namespace and name.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string? ns, CancellationToken ct)
    {
        var list = await api.GetAsync(ApplicationPaths.Collection(ns), ct);
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
            return await api.SendAsync(HttpMethod.Patch, ApplicationPaths.Object(ns, name), mergePatch.ToJsonString(), "application/merge-patch+json", ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            throw new CliException($"Application {ns}/{name} not found (list them with `gitops status -A`, or pick the namespace with -n)");
        }
    }

    private async Task EnsureCrdAsync(CancellationToken ct)
    {
        if (await api.GetAsync(ApplicationPaths.GroupVersion, ct) is null)
            throw new CliException("the Application CRD (applications.gitops.dev) is not installed in this cluster: kubectl apply -f crds/application.yaml");
    }

    public static string Name(JsonObject app) => (string?)app["metadata"]?["name"] ?? "";

    public static string Namespace(JsonObject app) => (string?)app["metadata"]?["namespace"] ?? "";

    public static bool IsSuspended(JsonObject app) => (bool?)app["spec"]?["suspend"] == true;
}
