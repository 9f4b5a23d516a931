using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>ConfigMap and Secret keys, Service ports.</summary>
internal static class DataValidation
{
    public static IEnumerable<StatusCause> ConfigMap(JsonObject obj)
    {
        var data = Json.Obj(obj, "data");
        var binary = Json.Obj(obj, "binaryData");
        foreach (var (key, _) in (data ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var m in NameRules.IsConfigMapKey(key)) yield return FieldErrors.InvalidString($"data[{key}]", key, m);
            if (binary?.ContainsKey(key) == true) yield return FieldErrors.InvalidString($"data[{key}]", key, "duplicate of key present in binaryData");
        }
        foreach (var (key, _) in (binary ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
            foreach (var m in NameRules.IsConfigMapKey(key)) yield return FieldErrors.InvalidString($"binaryData[{key}]", key, m);
    }

    public static IEnumerable<StatusCause> Secret(JsonObject obj)
    {
        var data = Json.Obj(obj, "data") ?? [];
        foreach (var (key, _) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            foreach (var m in NameRules.IsConfigMapKey(key)) yield return FieldErrors.InvalidString($"data[{key}]", key, m);
        var type = Json.Str(obj, "type") ?? "";
        string[] required = type switch
        {
            "kubernetes.io/dockerconfigjson" => [".dockerconfigjson"],
            "kubernetes.io/dockercfg" => [".dockercfg"],
            "kubernetes.io/tls" => ["tls.key", "tls.crt"],
            "kubernetes.io/basic-auth" => [],
            "kubernetes.io/ssh-auth" => ["ssh-privatekey"],
            _ => [],
        };
        foreach (var key in required)
            if (!data.ContainsKey(key)) yield return FieldErrors.Required($"data[{key}]");
        if (type == "kubernetes.io/service-account-token")
        {
            var annotations = Json.Obj(Json.Obj(obj, "metadata"), "annotations");
            if ((Json.Str(annotations, "kubernetes.io/service-account.name") ?? "").Length == 0)
                yield return FieldErrors.Required("metadata.annotations[kubernetes.io/service-account.name]");
        }
    }

    public static IEnumerable<StatusCause> Service(JsonObject spec)
    {
        var type = Json.Str(spec, "type") ?? "ClusterIP";
        var ports = Json.Arr(spec, "ports");
        if (type != "ExternalName" && ports is not { Count: > 0 } && Json.Str(spec, "clusterIP") != "None")
            yield return FieldErrors.Required("spec.ports");
        var i = 0;
        var multi = (ports?.Count ?? 0) > 1;
        foreach (var port in Json.Objects(ports))
        {
            var p = $"spec.ports[{i++}]";
            var name = Json.Str(port, "name") ?? "";
            if (multi && name.Length == 0) yield return FieldErrors.Required(p + ".name");
            var number = Json.Long(port, "port") ?? 0;
            if (number is < 1 or > 65535) yield return FieldErrors.Invalid(p + ".port", $"{number}", "must be between 1 and 65535, inclusive");
        }
    }
}
