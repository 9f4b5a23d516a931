using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GitOps.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>A custom resource object with free-form spec and status.</summary>
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public JsonObject? Spec { get; set; }
    [JsonPropertyName("status")] public JsonObject? Status { get; set; }
}

/// <summary>A list of <see cref="Widget"/>.</summary>
public sealed class WidgetList : IKubernetesObject<V1ListMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public List<Widget> Items { get; set; } = [];
}

/// <summary>
/// A throwaway CRD with a unique group: spec.size (integer, minimum 1), spec.color (default
/// "blue"), status.ready, and the status subresource. Deleted on dispose.
/// </summary>
internal sealed class TestCrd : IAsyncDisposable
{
    private readonly Kubernetes _client;

    private TestCrd(Kubernetes client, string group, string plural, string kind, bool namespaced)
    {
        _client = client;
        Group = group;
        Plural = plural;
        Kind = kind;
        Namespaced = namespaced;
    }

    public const string Version = "v1";
    public string Group { get; }
    public string Plural { get; }
    public string Kind { get; }
    public bool Namespaced { get; }
    public string Name => $"{Plural}.{Group}";
    public string ApiVersion => $"{Group}/{Version}";

    public static async Task<TestCrd> CreateAsync(Kubernetes client, bool namespaced = true)
    {
        var group = $"c{Guid.NewGuid():N}"[..12] + ".conformance.example.com";
        var (plural, kind) = namespaced ? ("widgets", "Widget") : ("gadgets", "Gadget");
        var crd = new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = namespaced ? "Namespaced" : "Cluster",
                Names = new V1CustomResourceDefinitionNames { Plural = plural, Singular = kind.ToLowerInvariant(), Kind = kind, ListKind = kind + "List" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = Version, Served = true, Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["spec"] = new()
                                    {
                                        Type = "object",
                                        Properties = new Dictionary<string, V1JSONSchemaProps>
                                        {
                                            ["size"] = new() { Type = "integer", Minimum = 1 },
                                            ["color"] = new() { Type = "string", DefaultProperty = "blue" },
                                        },
                                    },
                                    ["status"] = new()
                                    {
                                        Type = "object",
                                        Properties = new Dictionary<string, V1JSONSchemaProps> { ["ready"] = new() { Type = "boolean" } },
                                    },
                                },
                            },
                        },
                    },
                ],
            },
        };
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var result = new TestCrd(client, group, plural, kind, namespaced);
        await Eventually.WaitAsync(async () =>
        {
            var live = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(result.Name);
            return live.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        }, what: "CRD Established");
        // Established means served; discovery and the first request may still lag on a real cluster.
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                if (namespaced) await client.CustomObjects.ListNamespacedCustomObjectAsync(group, Version, "default", plural);
                else await client.CustomObjects.ListClusterCustomObjectAsync(group, Version, plural);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return false; }
        }, what: "custom resource served");
        return result;
    }

    public Widget New(string name, JsonObject? spec = null) => new()
    {
        ApiVersion = ApiVersion,
        Kind = Kind,
        Metadata = new V1ObjectMeta { Name = name },
        Spec = spec,
    };

    public async ValueTask DisposeAsync()
    {
        try { await _client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(Name); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
    }
}
