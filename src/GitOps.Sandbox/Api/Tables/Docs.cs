using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api.Tables;

/// <summary>
/// Field descriptions (Go's SwaggerDoc) as the recorded OpenAPI v3 documents carry them; printers.go
/// describes most columns with these. Types of groups the 1.26 server no longer serves
/// (extensions/v1beta1, autoscaling/v2beta1, rbac/v1beta1, batch/v1beta1) are read from the served version.
/// </summary>
internal static class Docs
{
    private static readonly Lazy<Dictionary<string, JsonObject>> Schemas = new(() =>
    {
        var all = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (_, doc) in ReferenceData.OpenApiV3Documents())
            if (doc["components"]?["schemas"] is JsonObject schemas)
                foreach (var (name, schema) in schemas)
                    if (schema is JsonObject s) all.TryAdd(name, s);
        return all;
    });

    public static string Of(string schema, string property) =>
        (string?)(Schemas.Value.GetValueOrDefault(schema)?["properties"]?[property]?["description"]) ?? "";

    public static string Meta(string property) => Of("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", property);
}
