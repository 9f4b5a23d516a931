using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>core/v1 defaults of Secret, PersistentVolume(Claim), Namespace, Event, Endpoints.</summary>
internal static class CoreDefaults
{
    /// <summary>stringData is folded into data (base64 of its UTF-8 bytes, overriding data), then dropped.</summary>
    public static void Secret(JsonObject obj)
    {
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = Json.Ensure(obj, "data");
            foreach (var (k, v) in stringData)
            {
                var text = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "";
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
            }
        }
        obj.Remove("stringData");
        Json.Default(obj, "type", "Opaque");
    }

    public static void PersistentVolumeClaim(JsonObject obj)
    {
        if (obj["spec"] is JsonObject spec) Json.Default(spec, "volumeMode", "Filesystem");
        Json.Default(Json.Ensure(obj, "status"), "phase", "Pending");
    }

    /// <summary>StorageObjectInUseProtection admission (on create, after field management): the pvc-protection finalizer.</summary>
    public static void PersistentVolumeClaimProtection(JsonObject obj)
    {
        var metadata = Json.Ensure(obj, "metadata");
        var finalizers = metadata["finalizers"] as JsonArray ?? [];
        if (!finalizers.Any(f => f?.GetValue<string>() == "kubernetes.io/pvc-protection")) finalizers.Add((JsonNode)"kubernetes.io/pvc-protection");
        metadata["finalizers"] = finalizers;
    }

    public static void PersistentVolume(JsonObject obj)
    {
        if (obj["spec"] is JsonObject spec)
        {
            Json.Default(spec, "persistentVolumeReclaimPolicy", "Retain");
            Json.Default(spec, "volumeMode", "Filesystem");
        }
        Json.Default(Json.Ensure(obj, "status"), "phase", "Pending");
        var metadata = Json.Ensure(obj, "metadata");
        var finalizers = metadata["finalizers"] as JsonArray ?? [];
        if (!finalizers.Any(f => f?.GetValue<string>() == "kubernetes.io/pv-protection")) finalizers.Add((JsonNode)"kubernetes.io/pv-protection");
        metadata["finalizers"] = finalizers;
    }

    public static void Namespace(JsonObject obj)
    {
        var metadata = Json.Ensure(obj, "metadata");
        if (Json.Str(metadata, "name") is { Length: > 0 } name)
            Json.Ensure(metadata, "labels")["kubernetes.io/metadata.name"] = name;
        Json.Default(Json.Ensure(obj, "status"), "phase", "Active");
    }

    /// <summary>
    /// The namespace create strategy (PrepareForCreate, after field management has recorded the
    /// request): the "kubernetes" finalizer is always there, appended to the ones asked for.
    /// </summary>
    public static void NamespaceFinalizer(JsonObject obj)
    {
        var spec = Json.Ensure(obj, "spec");
        var finalizers = Json.Arr(spec, "finalizers") ?? [];
        if (!finalizers.Any(f => f is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == "kubernetes"))
            finalizers.Add((JsonNode)"kubernetes");
        spec["finalizers"] = finalizers;
    }

    /// <summary>
    /// The namespace update strategy: <c>spec.finalizers</c> change only through the finalize
    /// subresource; any other write keeps the stored ones.
    /// </summary>
    public static void KeepNamespaceFinalizers(JsonObject obj, JsonObject old)
    {
        var finalizers = Json.Arr(Json.Obj(old, "spec"), "finalizers");
        if (finalizers is null && Json.Obj(obj, "spec") is null) return;
        var spec = Json.Ensure(obj, "spec");
        if (finalizers is null) spec.Remove("finalizers");
        else spec["finalizers"] = finalizers.DeepClone();
    }

    /// <summary>Event fields that are not omitempty: always present in what the server returns.</summary>
    public static void Event(JsonObject obj)
    {
        if (Json.Missing(obj, "source")) obj["source"] = new JsonObject();
        Json.Default(obj, "reportingComponent", "");
        Json.Default(obj, "reportingInstance", "");
    }

    public static void Endpoints(JsonObject obj)
    {
        foreach (var subset in Json.Objects(Json.Arr(obj, "subsets")))
            foreach (var port in Json.Objects(Json.Arr(subset, "ports")))
                Json.Default(port, "protocol", "TCP");
    }
}
