using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Schema;

/// <summary>
/// Schemas of the built-in kinds, read from the OpenAPI v3 documents recorded from a real
/// kube-apiserver (embedded under reference/openapi). Each kind is found through its
/// x-kubernetes-group-version-kind extension.
/// </summary>
public sealed class BuiltinSchemas : ISchemaProvider
{
    private const string ObjectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private readonly Dictionary<(string Group, string Version, string Kind), SchemaNode> _kinds = new();

    public static BuiltinSchemas Shared { get; } = Load();

    /// <summary>ObjectMeta, the schema of every object's metadata (custom resources' too).</summary>
    public SchemaNode ObjectMeta { get; private set; } = SchemaNode.Unknown;

    private static BuiltinSchemas Load()
    {
        var schemas = new BuiltinSchemas();
        foreach (var (_, document) in ReferenceData.OpenApiV3Documents())
            schemas.AddDocument(document);
        return schemas;
    }

    internal void AddDocument(JsonObject document)
    {
        if (document["components"]?["schemas"] is not JsonObject components) return;
        var reader = new OpenApiSchemaReader(components, readDefaults: false);
        if (ReferenceEquals(ObjectMeta, SchemaNode.Unknown) && components.ContainsKey(ObjectMetaName)) ObjectMeta = reader.ReadRef(ObjectMetaName);
        foreach (var (name, schema) in components)
        {
            if (schema?["x-kubernetes-group-version-kind"] is not JsonArray gvks) continue;
            foreach (var gvk in gvks)
            {
                if (gvk is null) continue;
                var key = ((string)gvk["group"]!, (string)gvk["version"]!, (string)gvk["kind"]!);
                if (key.Item3 is "DeleteOptions" or "WatchEvent" or "Status" or "APIResourceList" or "APIGroup" or "APIGroupList" or "APIVersions") continue;
                _kinds.TryAdd(key, reader.ReadRef(name));
            }
        }
    }

    public SchemaNode? Find(string group, string version, string kind) =>
        _kinds.TryGetValue((group, version, kind), out var node) ? node : null;
}
