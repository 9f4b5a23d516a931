using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// /openapi/v3: the recorded index and documents of the built-in groups, plus a generated
/// document for each CRD group/version (its schema, with x-kubernetes-group-version-kind, and
/// the operations with their fieldValidation parameter, which kubectl checks before it asks
/// the server to validate fields).
/// </summary>
public sealed class OpenApiDocuments(ResourceRegistry registry, CustomResources custom)
{
    private static readonly JsonObject BuiltinIndex = ReferenceData.Json("openapi/v3/index.json")!;

    public JsonObject Index()
    {
        var index = BuiltinIndex.DeepClone().AsObject();
        var paths = index["paths"]!.AsObject();
        foreach (var gv in registry.All.Where(r => r.IsCustom).Select(r => (r.Group, r.Version)).Distinct())
        {
            var key = $"apis/{gv.Group}/{gv.Version}";
            var doc = CustomDocument(gv.Group, gv.Version);
            if (doc is not null) paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(doc)}" };
        }
        return index;
    }

    public JsonObject? Document(string path)
    {
        path = path.Trim('/');
        if (ReferenceData.Json($"openapi/v3/{path}.json") is { } builtin) return builtin;
        var parts = path.Split('/');
        return parts.Length == 3 && parts[0] == "apis" ? CustomDocument(parts[1], parts[2]) : null;
    }

    private JsonObject? CustomDocument(string group, string version)
    {
        var types = registry.All.Where(r => r.IsCustom && r.Group == group && r.Version == version).ToList();
        if (types.Count == 0) return null;
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var t in types)
        {
            var schemaName = $"{string.Join('.', group.Split('.').Reverse())}.{version}.{t.Kind}";
            var schema = custom.OpenApiSchemas.TryGetValue((group, version), out var s) ? s.DeepClone().AsObject() : new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["kind"] = t.Kind, ["version"] = version });
            schemas[schemaName] = schema;
            var nsPart = t.Namespaced ? "/namespaces/{namespace}" : "";
            var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" };
            paths[$"/apis/{group}/{version}{nsPart}/{t.Plural}"] = new JsonObject
            {
                ["get"] = Operation("list", t, reference),
                ["post"] = Operation("create", t, reference, write: true),
            };
            paths[$"/apis/{group}/{version}{nsPart}/{t.Plural}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation("read", t, reference),
                ["put"] = Operation("replace", t, reference, write: true),
                ["patch"] = Operation("patch", t, reference, write: true),
                ["delete"] = Operation("delete", t, reference),
            };
            if (t.HasStatus)
                paths[$"/apis/{group}/{version}{nsPart}/{t.Plural}/{{name}}/status"] = new JsonObject
                {
                    ["get"] = Operation("read", t, reference),
                    ["put"] = Operation("replace", t, reference, write: true),
                    ["patch"] = Operation("patch", t, reference, write: true),
                };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes CRD Swagger", ["version"] = "v0.1.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(string verb, ResourceType t, JsonObject reference, bool write = false)
    {
        var parameters = new JsonArray();
        if (write)
        {
            foreach (var p in new[] { "dryRun", "fieldManager", "fieldValidation" })
                parameters.Add((JsonNode)new JsonObject { ["name"] = p, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
        }
        return new JsonObject
        {
            ["operationId"] = $"{verb}{t.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = reference.DeepClone() } },
                },
            },
            ["x-kubernetes-action"] = verb switch { "read" => "get", "replace" => "put", "create" => "post", _ => verb },
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = t.Group, ["kind"] = t.Kind, ["version"] = t.Version },
        };
    }

    private static string Hash(JsonObject doc) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())));
}
