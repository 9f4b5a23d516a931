using GitOps.Operator.Cluster;
using k8s;

namespace GitOps.Loop.Bench;

/// <summary>
/// The requests an existing cluster's API server served, from its own /metrics (<c>apiserver_request_total</c>,
/// which needs a user allowed the non-resource URL /metrics, as an admin is): every client's, the operator's,
/// the benchmark's and the cluster's own controllers'. Non-resource requests (discovery, /metrics itself) are left out.
/// </summary>
internal sealed class ClusterMetrics(KubeHttp http) : IDisposable
{
    private const string RequestsTotal = "apiserver_request_total";

    public static ClusterMetrics For(string kubeconfig) => new(KubeHttp.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)));

    /// <summary>The API server's metrics now; null when it refuses them (not an admin) or cannot be reached.</summary>
    public async Task<PromText?> ScrapeAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http.BaseUri, "metrics"));
        if (http.Credentials is not null) await http.Credentials.ProcessHttpRequestAsync(request, ct);
        try
        {
            using var response = await http.Client.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? PromText.Parse(await response.Content.ReadAsStringAsync(ct)) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Resource requests served so far by verb, named as the sandbox names them (create, update, patch, get, list, watch, ...).</summary>
    public static Dictionary<string, double> ByVerb(PromText metrics) =>
        metrics.SumBy(RequestsTotal, "verb", IsResourceRequest).GroupBy(kv => VerbName(kv.Key), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);

    /// <summary>The metric's verb is the HTTP method for writes (POST, PUT, PATCH: a server-side apply is a PATCH) and the API verb for reads.</summary>
    private static string VerbName(string verb) => verb switch
    {
        "POST" => "create",
        "PUT" => "update",
        _ => verb.ToLowerInvariant(),
    };

    /// <summary>Writes (everything but get, list and watch) served so far by "verb resource[/subresource]".</summary>
    public static Dictionary<string, double> WritesByResource(PromText metrics) =>
        metrics.Samples.Where(s => s.Name == RequestsTotal && IsResourceRequest(s.Labels) && !IsRead(s.Labels.GetValueOrDefault("verb")))
            .GroupBy(s => $"{VerbName(s.Labels["verb"])} {s.Labels["resource"]}{(s.Labels.GetValueOrDefault("subresource") is { Length: > 0 } sub ? "/" + sub : "")}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Value), StringComparer.Ordinal);

    private static bool IsResourceRequest(IReadOnlyDictionary<string, string> labels) => labels.GetValueOrDefault("resource") is { Length: > 0 };

    private static bool IsRead(string? verb) => verb is "GET" or "LIST" or "WATCH";

    public void Dispose() => http.Client.Dispose();
}
