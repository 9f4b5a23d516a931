using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>apiextensions.k8s.io/v1 defaults of a CustomResourceDefinition and its create strategy.</summary>
public static class CrdDefaults
{
    public static void Apply(JsonObject crd)
    {
        var spec = Json.Ensure(crd, "spec");
        var names = Json.Ensure(spec, "names");
        var kind = Json.Str(names, "kind") ?? "";
        Json.Default(names, "singular", kind.ToLowerInvariant());
        if (kind.Length > 0) Json.Default(names, "listKind", kind + "List");
        if (names["singular"] is JsonValue v && v.GetValue<string>().Length == 0) names.Remove("singular");
        var conversion = Json.Ensure(spec, "conversion");
        Json.Default(conversion, "strategy", "None");
        if (Json.Obj(Json.Obj(Json.Obj(conversion, "webhook"), "clientConfig"), "service") is { } service && Json.Missing(service, "port"))
            service["port"] = 443;
        foreach (var version in Json.Objects(Json.Arr(spec, "versions")))
            foreach (var column in Json.Objects(Json.Arr(version, "additionalPrinterColumns")))
                if (column["priority"] is JsonValue p && Json.AsLong(p) == 0) column.Remove("priority");

        // PrepareForCreate: status starts with the storage version stored and no accepted names yet.
        // Only on create (no status yet): defaults also run on every update, which must keep the status.
        if (crd["status"] is not null) return;
        var storage = Json.Objects(Json.Arr(spec, "versions")).Where(x => Json.Bool(x, "storage") == true)
            .Select(x => Json.Str(x, "name")).FirstOrDefault();
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = new JsonObject { ["plural"] = "", ["kind"] = "" },
            ["storedVersions"] = storage is null ? new JsonArray() : new JsonArray(storage),
        };
    }
}
