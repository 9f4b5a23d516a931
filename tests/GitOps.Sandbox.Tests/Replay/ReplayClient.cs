using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.Replay;

/// <summary>Plain HTTP to the target's API server with the recording's User-Agent (so its default field manager is Python-urllib).</summary>
internal sealed class ReplayClient : IDisposable
{
    private static readonly SemaphoreSlim PrepareGate = new(1, 1);
    private static ApiTarget? _prepared;
    private static IReadOnlySet<string> _preparedClusterConfigMaps = ClusterConfigMaps.None;

    private readonly HttpClient _http;
    private readonly Uri? _baseAddress;
    private readonly bool _owned;

    /// <summary>A client of a sandbox a test started itself (with settings of its own, say a fixed clock).</summary>
    public ReplayClient(SandboxServer sandbox)
    {
        _http = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _owned = true;
    }

    public ReplayClient(ApiTarget target)
    {
        if (target.Sandbox is { } sandbox)
        {
            _http = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            _owned = true;
        }
        else
        {
            // A real cluster needs the kubeconfig's credentials: borrow the client's authenticated handler
            // chain. It has sent requests already, so it takes absolute addresses (see Request).
            _http = target.Client.HttpClient;
            _baseAddress = target.Client.BaseUri;
        }
    }

    public async Task<(int Code, JsonNode? Body)> SendAsync(string method, string path, HttpContent? content = null, CancellationToken ct = default)
    {
        using var request = Request(method, path, content);
        using var response = await _http.SendAsync(request, ct);
        return ((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync(ct)));
    }

    /// <summary>Opens a watch and collects its lines until the server ends the stream.</summary>
    public async Task<(int Code, Task<List<string>> Lines)> WatchAsync(string path, CancellationToken ct)
    {
        var request = Request("GET", path, null);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        async Task<List<string>> ReadAll()
        {
            using (request)
            using (response)
            {
                var lines = new List<string>();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                while (await reader.ReadLineAsync(ct) is { } line)
                    if (line.Length > 0) lines.Add(line);
                return lines;
            }
        }
        return ((int)response.StatusCode, ReadAll());
    }

    /// <summary>
    /// The ConfigMaps a real cluster's controllers put into namespace <c>reference</c> when
    /// <see cref="PrepareAsync"/> made it, before any recorded request (none on a sandbox).
    /// </summary>
    public IReadOnlySet<string> ClusterConfigMapsInReference { get; private set; } = ClusterConfigMaps.None;

    /// <summary>
    /// Namespace <c>reference</c> exists. Once per run on a real cluster, what earlier runs left
    /// (the namespace and the cluster-scoped objects the recordings create) is deleted first, and the
    /// namespace is ready once the cluster's controllers have published their ConfigMaps into it.
    /// </summary>
    public async Task PrepareAsync(ApiTarget target)
    {
        await PrepareGate.WaitAsync();
        try
        {
            if (!ReferenceEquals(_prepared, target)) _preparedClusterConfigMaps = await MakeReferenceNamespaceAsync(target);
            _prepared = target;
            ClusterConfigMapsInReference = _preparedClusterConfigMaps;
        }
        finally
        {
            PrepareGate.Release();
        }
    }

    /// <summary>Makes namespace <c>reference</c> afresh; returns the ConfigMaps the cluster's controllers put there.</summary>
    private async Task<IReadOnlySet<string>> MakeReferenceNamespaceAsync(ApiTarget target)
    {
        if (target.IsRealCluster)
        {
            foreach (var path in new[]
            {
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.reference.example.com",
                "/apis/rbac.authorization.k8s.io/v1/clusterroles/reference-reader",
                "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/reference-reader",
                "/api/v1/namespaces/reference-defaults",
                "/api/v1/namespaces/" + ReferenceRecordings.Namespace,
            })
                await SendAsync("DELETE", path);
            await Eventually.TryAsync(async () => (await SendAsync("GET", "/api/v1/namespaces/" + ReferenceRecordings.Namespace)).Code == 404, TimeSpan.FromMinutes(2));
        }
        var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ReferenceRecordings.Namespace } };
        var (code, body) = await SendAsync("POST", "/api/v1/namespaces", Json(ns));
        if (code is not (201 or 409)) throw new InvalidOperationException($"cannot create namespace reference: {code} {body?.ToJsonString()}");
        return await target.ListPublishedConfigMapsAsync(ReferenceRecordings.Namespace);
    }

    public static HttpContent Json(JsonNode body, string contentType = "application/json")
    {
        var content = new StringContent(body.ToJsonString());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    private HttpRequestMessage Request(string method, string path, HttpContent? content)
    {
        var address = _baseAddress is null ? new Uri(path, UriKind.Relative) : new Uri(_baseAddress, path);
        var request = new HttpRequestMessage(new HttpMethod(method), address) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.TryAddWithoutValidation("User-Agent", ReferenceRecordings.UserAgent);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    private static JsonNode? Parse(string text)
    {
        if (text.Length == 0) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }

    public void Dispose()
    {
        if (_owned) _http.Dispose();
    }
}
