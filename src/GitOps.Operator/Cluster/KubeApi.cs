using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace GitOps.Operator.Cluster;

/// <summary>
/// <see cref="IKubeApi"/> over an HttpClient configured from a kubeconfig or the in-cluster service account
/// (<see cref="KubeHttp"/>: TLS and credentials as KubernetesClient sets them up), speaking unstructured JSON.
/// </summary>
public sealed class KubeApi : IKubeApi, IDisposable
{
    private readonly KubeHttp _http;

    private KubeApi(KubeHttp http) => _http = http;

    public static KubeApi FromConfig(KubernetesClientConfiguration config) =>
        new(KubeHttp.FromConfig(config)) { UsesClientCertificate = config.ClientCertificateData is not null || config.ClientCertificateFilePath is not null };

    /// <summary>The client authenticates with a TLS client certificate, which the API server takes before any bearer token.</summary>
    public bool UsesClientCertificate { get; init; }

    /// <summary>The API server's address, ending in a slash.</summary>
    public Uri BaseUri => _http.BaseUri;

    public void Dispose() => _http.Client.Dispose();

    /// <summary>Called after every request with (verb, resource, HTTP status code or 0 when there was no answer); metrics count them.</summary>
    public Action<string, string, int>? OnRequest { get; set; }

    public async Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, path, null, "application/json", ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        SendAsAsync(null, method, path, body, contentType, ct);

    public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        SendWithAsync(impersonateUser, null, method, path, body, contentType, ct);

    public Task<JsonObject> SendWithTokenAsync(string bearerToken, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) =>
        UsesClientCertificate
            ? throw new NotSupportedException("this client authenticates with a client certificate, which the API server would take instead of the person's token")
            : SendWithAsync(null, bearerToken, method, path, body, contentType, ct);

    private async Task<JsonObject> SendWithAsync(string? impersonateUser, string? bearerToken, HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
    {
        using var request = await NewRequestAsync(method, path, ct);
        if (impersonateUser is not null) request.Headers.Add("Impersonate-User", impersonateUser);
        if (bearerToken is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        HttpResponseMessage response;
        try
        {
            response = await _http.Client.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            Count(method, path, 0);
            throw new KubeApiException(0, "Unreachable", $"the API server could not be reached: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Count(method, path, 0);
            throw new KubeApiException(0, "Timeout", $"{method} {path}: no answer from the API server within 60s");
        }
        Count(method, path, (int)response.StatusCode);
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) throw Failure(response, text);
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = await NewRequestAsync(HttpMethod.Get, path, ct);
        HttpResponseMessage response;
        try
        {
            response = await _http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            Count(HttpMethod.Get, path, 0);
            throw new KubeApiException(0, "Unreachable", $"the API server could not be reached: {e.Message}");
        }
        Count(HttpMethod.Get, path, (int)response.StatusCode);
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw Failure(response, await response.Content.ReadAsStringAsync(ct));
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(ct);
                }
                catch (IOException)
                {
                    yield break;
                }
                catch (HttpRequestException)
                {
                    yield break;
                }
                if (line is null) yield break;
                if (line.Length == 0) continue;
                var frame = JsonNode.Parse(line) as JsonObject;
                var type = (string?)frame?["type"] switch
                {
                    "ADDED" => WatchEventType.Added,
                    "MODIFIED" => WatchEventType.Modified,
                    "DELETED" => WatchEventType.Deleted,
                    "BOOKMARK" => WatchEventType.Bookmark,
                    _ => WatchEventType.Error,
                };
                yield return new WatchEvent(type, frame?["object"] as JsonObject ?? new JsonObject());
            }
        }
    }

    private void Count(HttpMethod method, string path, int code)
    {
        if (OnRequest is not { } observer) return;
        var (verb, resource) = Describe(method, path);
        observer(verb, resource, code);
    }

    /// <summary>
    /// The Kubernetes verb and resource of a request path, as the API server's audit log names
    /// them: <c>/api/v1/namespaces/a/configmaps/b</c> with GET is (get, configmaps); without a
    /// name it is list, with <c>watch=true</c> watch; a subresource is <c>plural/sub</c>.
    /// </summary>
    internal static (string Verb, string Resource) Describe(HttpMethod method, string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var watch = query >= 0 && path[query..].Contains("watch=true", StringComparison.OrdinalIgnoreCase);
        var segments = (query >= 0 ? path[..query] : path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Skip the group/version prefix: api/v1 or apis/group/version.
        var rest = segments.Length > 0 && segments[0] == "api" ? segments.Skip(2).ToArray()
            : segments.Length > 0 && segments[0] == "apis" ? segments.Skip(3).ToArray()
            : [];
        if (rest.Length >= 2 && rest[0] == "namespaces" && rest.Length > 2) rest = rest[2..];
        var resource = rest.Length switch
        {
            0 => segments.Length > 0 && segments[0] is "api" or "apis" ? "discovery" : "other",
            1 or 2 => rest[0],
            _ => rest[0] + "/" + rest[2],
        };
        var named = rest.Length >= 2;
        var verb = method.Method switch
        {
            "GET" when watch => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => method.Method.ToLowerInvariant(),
        };
        return (verb, resource);
    }

    private async Task<HttpRequestMessage> NewRequestAsync(HttpMethod method, string path, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, new Uri(_http.BaseUri, path));
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd("gitops-operator/0.1");
        if (_http.Credentials is not null) await _http.Credentials.ProcessHttpRequestAsync(request, ct);
        return request;
    }

    private static KubeApiException Failure(HttpResponseMessage response, string text)
    {
        JsonObject? status = null;
        try { status = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { }
        var code = (int)response.StatusCode;
        var reason = (string?)status?["reason"] ?? response.StatusCode.ToString();
        var message = (string?)status?["message"] ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
        TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta ??
            (response.StatusCode == HttpStatusCode.TooManyRequests ? TimeSpan.FromSeconds(1) : null);
        return new KubeApiException(code, reason, message, status, retryAfter);
    }
}
