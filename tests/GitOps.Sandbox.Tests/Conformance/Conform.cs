using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Small helpers shared by the conformance tests: raw requests, expected failures, fixtures.</summary>
internal static class Conform
{
    /// <summary>
    /// Sends a raw request with the client's own HttpClient and credentials, so malformed bodies
    /// reach the server exactly as written (works against a real cluster too).
    /// </summary>
    public static async Task<(HttpStatusCode Code, string Body, HttpResponseMessage Response)> RawAsync(
        Kubernetes client, HttpMethod method, string path, string? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(client.BaseUri, path));
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        if (client.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        var response = await client.HttpClient.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Runs <paramref name="call"/> and asserts it fails with <paramref name="code"/>.</summary>
    public static async Task<HttpOperationException> FailsAsync(HttpStatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.True(code == e.Response.StatusCode, $"expected {(int)code} {code}, got {(int)e.Response.StatusCode}: {e.Response.Content}");
        return e;
    }

    public static V1ConfigMap ConfigMap(string name, IDictionary<string, string>? data = null, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = data,
    };

    public static long Rv(IKubernetesObject<V1ObjectMeta> obj) => long.Parse(obj.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);

    public static V1Deployment Deployment(string name, string image = "nginx:1.27") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
            },
        },
    };

    /// <summary>An RFC 7386 JSON merge patch applied to <paramref name="target"/> (changed in place when it is an object).</summary>
    public static JsonNode MergePatch(JsonNode target, JsonNode patch)
    {
        if (patch is not JsonObject p) return patch.DeepClone();
        var result = target as JsonObject ?? [];
        foreach (var (k, v) in p)
        {
            if (v is null) result.Remove(k);
            else result[k] = MergePatch(result[k]?.DeepClone() ?? new JsonObject(), v);
        }
        return result;
    }

    /// <summary>Names of the config maps in a namespace of the target, sorted, without those the cluster's controllers put there.</summary>
    public static async Task<List<string>> ConfigMapNamesAsync(ApiTarget target, string ns, string? labelSelector = null, string? fieldSelector = null)
    {
        var list = await target.Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: labelSelector, fieldSelector: fieldSelector);
        var clusters = target.ClusterConfigMapsIn(ns);
        return [.. list.Items.Select(i => i.Metadata.Name).Where(n => !clusters.Contains(n)).Order(StringComparer.Ordinal)];
    }
}
