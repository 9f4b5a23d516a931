using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Store;

/// <summary>
/// What the CRDs in the store serve: resource types (in the registry), the schema of each
/// version, and its printer columns.
/// </summary>
public sealed class CustomResources(ResourceRegistry registry) : ISchemaProvider
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Kind), SchemaNode> _schemas = new();
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), IReadOnlyList<PrinterColumn>> _columns = new();
    private readonly ConcurrentDictionary<(string Group, string Version), JsonObject> _openApi = new();

    public SchemaNode? Find(string group, string version, string kind) =>
        _schemas.TryGetValue((group, version, kind), out var s) ? s : null;

    public IReadOnlyList<PrinterColumn> Columns(ResourceType type) =>
        _columns.TryGetValue((type.Group, type.Version, type.Plural), out var c) ? c : [PrinterColumn.Age];

    /// <summary>The raw openAPIV3Schema of each served version of each CRD group/version (for /openapi/v3).</summary>
    public IReadOnlyDictionary<(string Group, string Version), JsonObject> OpenApiSchemas => _openApi;

    public void Register(JsonObject crd)
    {
        var name = ObjectMeta.Name(crd);
        var spec = crd["spec"]!.AsObject();
        var group = (string)spec["group"]!;
        var names = spec["names"]!.AsObject();
        var kind = (string)names["kind"]!;
        var plural = (string)names["plural"]!;
        var types = new List<ResourceType>();
        var storage = (spec["versions"]?.AsArray() ?? []).FirstOrDefault(v => v?["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>();
        foreach (var v in spec["versions"]?.AsArray() ?? [])
        {
            if (v is null || v["served"]?.GetValue<bool>() != true) continue;
            var version = (string)v["name"]!;
            var hasStatus = v["subresources"]?["status"] is not null;
            var hasScale = v["subresources"]?["scale"] is not null;
            types.Add(new ResourceType(
                group, version, plural,
                Singular: (string?)names["singular"] ?? kind.ToLowerInvariant(),
                Kind: kind,
                Namespaced: (string?)spec["scope"] != "Cluster",
                Verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
                ShortNames: ResourceRegistry.Strings(names["shortNames"]),
                Categories: ResourceRegistry.Strings(names["categories"]),
                HasStatus: hasStatus,
                HasScale: hasScale,
                IsCustom: true,
                StorageVersionHash: Api.Discovery.StorageVersionHash(group, storage ?? version, kind)));
            var schemaJson = v["schema"]?["openAPIV3Schema"] as JsonObject;
            _schemas[(group, version, kind)] = schemaJson is null
                ? SchemaNode.Unknown
                : new OpenApiSchemaReader(null, readDefaults: true).Read(schemaJson);
            if (schemaJson is not null) _openApi[(group, version)] = schemaJson;
            _columns[(group, version, plural)] = PrinterColumns(v as JsonObject);
        }
        registry.SetCustom(name, types);
    }

    public void Unregister(JsonObject crd)
    {
        var spec = crd["spec"]?.AsObject();
        var group = (string?)spec?["group"] ?? "";
        foreach (var v in spec?["versions"]?.AsArray() ?? [])
        {
            var version = (string?)v?["name"] ?? "";
            _openApi.TryRemove((group, version), out _);
        }
        registry.RemoveCustom(ObjectMeta.Name(crd));
    }

    private static IReadOnlyList<PrinterColumn> PrinterColumns(JsonObject? version)
    {
        if (version?["additionalPrinterColumns"] is not JsonArray columns || columns.Count == 0) return [PrinterColumn.Age];
        return [.. columns.OfType<JsonObject>().Select(c => new PrinterColumn(
            (string)c["name"]!, (string?)c["type"] ?? "string", (string)c["jsonPath"]!,
            (string?)c["format"] ?? "", (string?)c["description"] ?? "", (int?)c["priority"] ?? 0))];
    }
}

/// <summary>Built-in schemas first, then those of the CRDs.</summary>
public sealed class CompositeSchemas(params ISchemaProvider[] providers) : ISchemaProvider
{
    public SchemaNode? Find(string group, string version, string kind)
    {
        foreach (var p in providers)
            if (p.Find(group, version, kind) is { } s) return s;
        return null;
    }
}
