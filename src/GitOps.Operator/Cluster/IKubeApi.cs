using System.Text.Json.Nodes;

namespace GitOps.Operator.Cluster;

/// <summary>The raw Kubernetes REST API: JSON in, JSON out, Status failures as <see cref="KubeApiException"/>.</summary>
public interface IKubeApi
{
    /// <summary>GET of a path; null when the server answers 404.</summary>
    Task<JsonObject?> GetAsync(string path, CancellationToken ct);

    Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct);

    /// <summary>The same request made as another user (Impersonate-User), e.g. an Application's service account.</summary>
    Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct);

    /// <summary>The same request authenticated by a person's own bearer token instead of this client's credentials (the dashboard's actions).</summary>
    Task<JsonObject> SendWithTokenAsync(string bearerToken, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        throw new NotSupportedException($"{GetType().Name} cannot send a request with another credential");

    /// <summary>A watch stream; ends when the server closes it. A 410 arrives as an Error event or a thrown Gone.</summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string path, CancellationToken ct);
}
