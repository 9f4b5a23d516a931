using System.Text.Json.Nodes;

namespace GitOps.Operator.Cluster;

/// <summary>The raw Kubernetes REST API: JSON in, JSON out, Status failures as <see cref="KubeApiException"/>.</summary>
public interface IKubeApi
{
    /// <summary>GET of a path; null when the server answers 404.</summary>
    Task<JsonObject?> GetAsync(string path, CancellationToken ct);

    Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct);

    /// <summary>A watch stream; ends when the server closes it. A 410 arrives as an Error event or a thrown Gone.</summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string path, CancellationToken ct);
}
