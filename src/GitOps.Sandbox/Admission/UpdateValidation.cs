using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// The update validation of kube-apiserver 1.26's strategies (ValidateUpdate) for built-in kinds:
/// immutable fields and the parts of a spec that may change, with the real paths, cause types and
/// messages. <see cref="Validate"/> places these causes where the real strategy does relative to
/// the validation of the new object (<c>objectCauses</c>, what a create would report): after it
/// for workloads (repeating the spec's causes where the strategy validates the spec twice), before
/// it for Service, ConfigMap and Secret.
/// </summary>
internal static class UpdateValidation
{
    public const string Immutable = "field is immutable";

    public static IReadOnlyList<StatusCause> Validate(string group, string kind, JsonObject obj, JsonObject old, IReadOnlyList<StatusCause> objectCauses)
    {
        var spec = Json.Obj(obj, "spec");
        var oldSpec = Json.Obj(old, "spec");
        // ValidateReplicaSetUpdate, ValidateDaemonSetUpdate and ValidateJobSpecUpdate validate the new spec again.
        var specAgain = objectCauses.Where(c => c.Field == "spec" || c.Field.StartsWith("spec.", StringComparison.Ordinal));
        return (group, kind) switch
        {
            ("apps", "Deployment") => [.. objectCauses, .. Selector(spec, oldSpec)],
            ("apps", "ReplicaSet" or "DaemonSet") => [.. objectCauses, .. specAgain, .. Selector(spec, oldSpec)],
            ("apps", "StatefulSet") => [.. objectCauses, .. StatefulSet(spec, oldSpec)],
            ("batch", "Job") => [.. objectCauses, .. specAgain, .. Job(obj, old)],
            ("", "Service") => [.. CoreUpdateValidation.Service(spec ?? [], oldSpec ?? []), .. objectCauses],
            ("", "ConfigMap") => [.. CoreUpdateValidation.ImmutableData(obj, old, "data", "binaryData"), .. objectCauses],
            ("", "Secret") => [.. CoreUpdateValidation.Secret(obj, old), .. objectCauses],
            ("", "PersistentVolumeClaim") => [.. objectCauses, .. CoreUpdateValidation.PersistentVolumeClaim(obj, old)],
            ("", "Pod") => [.. objectCauses, .. PodUpdateValidation.Validate(spec ?? [], oldSpec ?? [])],
            ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding") => [.. objectCauses, .. RoleRef(obj, old)],
            ("storage.k8s.io", "StorageClass") => [.. objectCauses, .. StorageClass(obj, old)],
            ("scheduling.k8s.io", "PriorityClass") => [.. objectCauses, .. PriorityClass(obj, old)],
            ("discovery.k8s.io", "EndpointSlice") => [.. objectCauses, .. ImmutableString(obj, old, "addressType", "addressType")],
            ("networking.k8s.io", "IngressClass") => [.. ImmutableString(spec ?? [], oldSpec ?? [], "controller", "spec.controller"), .. objectCauses],
            _ => objectCauses,
        };
    }

    /// <summary>ValidateImmutableField of spec.selector (apps/v1 strategies, ValidateJobSpecUpdate).</summary>
    private static IEnumerable<StatusCause> Selector(JsonObject? spec, JsonObject? oldSpec)
    {
        if (!Semantic.Equal(spec?["selector"], oldSpec?["selector"]))
            yield return FieldErrors.Invalid("spec.selector", GoValues.LabelSelector(spec?["selector"]), Immutable);
    }

    private static readonly string[] StatefulSetMutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    /// <summary>ValidateStatefulSetUpdate: everything but the mutable fields compared at once.</summary>
    private static IEnumerable<StatusCause> StatefulSet(JsonObject? spec, JsonObject? oldSpec)
    {
        if (!Semantic.Equal(Semantic.Without(spec, StatefulSetMutable), Semantic.Without(oldSpec, StatefulSetMutable)))
            yield return FieldErrors.Forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }

    /// <summary>ValidateJobSpecUpdate of 1.26 (completions, selector, template, completionMode, podFailurePolicy).</summary>
    private static IEnumerable<StatusCause> Job(JsonObject obj, JsonObject old)
    {
        var spec = Json.Obj(obj, "spec");
        var oldSpec = Json.Obj(old, "spec");
        if (!Semantic.Equal(spec?["completions"], oldSpec?["completions"]))
            yield return FieldErrors.Invalid("spec.completions", spec?["completions"] is { } c ? GoFormat.Value(c) : GoValues.Nil, Immutable);
        foreach (var e in Selector(spec, oldSpec)) yield return e;
        var template = spec?["template"];
        var oldTemplate = oldSpec?["template"]?.DeepClone() as JsonObject;
        // JobMutableNodeSchedulingDirectives: a suspended Job that never started may change where its pods go.
        if (Json.Bool(oldSpec, "suspend") == true && Json.Obj(old, "status")?["startTime"] is null && oldTemplate is not null)
            AllowSchedulingDirectives(template as JsonObject, oldTemplate);
        if (!Semantic.Equal(template, oldTemplate))
            yield return FieldErrors.Invalid("spec.template", GoValues.PodTemplateSpec(template), Immutable);
        if (!Semantic.Equal(spec?["completionMode"], oldSpec?["completionMode"]))
            yield return FieldErrors.Invalid("spec.completionMode", GoValues.StringPointer(spec?["completionMode"]), Immutable);
        if (!Semantic.Equal(spec?["podFailurePolicy"], oldSpec?["podFailurePolicy"]))
            yield return FieldErrors.Invalid("spec.podFailurePolicy", GoValues.PodFailurePolicy(spec?["podFailurePolicy"]), Immutable);
    }

    /// <summary>validatePodTemplateUpdate: the old template takes the new node affinity, node selector, tolerations, labels and annotations.</summary>
    private static void AllowSchedulingDirectives(JsonObject? template, JsonObject oldTemplate)
    {
        var newSpec = Json.Obj(template, "spec");
        var oldSpec = Json.Ensure(oldTemplate, "spec");
        var newAffinity = Json.Obj(newSpec, "affinity");
        if (Json.Obj(oldSpec, "affinity") is { } oldAffinity)
        {
            if (newAffinity is null)
            {
                oldAffinity.Remove("nodeAffinity");
                if (oldAffinity.Count == 0) oldSpec.Remove("affinity");
            }
            else Semantic.Copy(newAffinity, oldAffinity, "nodeAffinity");
        }
        else if (newAffinity is not null)
        {
            var affinity = new JsonObject();
            Semantic.Copy(newAffinity, affinity, "nodeAffinity");
            oldSpec["affinity"] = affinity;
        }
        Semantic.Copy(newSpec, oldSpec, "nodeSelector");
        Semantic.Copy(newSpec, oldSpec, "tolerations");
        var oldMeta = Json.Ensure(oldTemplate, "metadata");
        Semantic.Copy(Json.Obj(template, "metadata"), oldMeta, "labels");
        Semantic.Copy(Json.Obj(template, "metadata"), oldMeta, "annotations");
    }


    /// <summary>ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate.</summary>
    private static IEnumerable<StatusCause> RoleRef(JsonObject obj, JsonObject old)
    {
        if (!Semantic.Equal(obj["roleRef"], old["roleRef"]))
            yield return FieldErrors.Invalid("roleRef", GoValues.RoleRef(obj["roleRef"]), "cannot change roleRef");
    }

    /// <summary>ValidateStorageClassUpdate (reclaimPolicy defaults to Delete, volumeBindingMode to Immediate).</summary>
    private static IEnumerable<StatusCause> StorageClass(JsonObject obj, JsonObject old)
    {
        if (!Semantic.Equal(obj["parameters"], old["parameters"])) yield return FieldErrors.Forbidden("parameters", "updates to parameters are forbidden.");
        if (Json.Str(obj, "provisioner") != Json.Str(old, "provisioner")) yield return FieldErrors.Forbidden("provisioner", "updates to provisioner are forbidden.");
        if ((Json.Str(obj, "reclaimPolicy") ?? "Delete") != (Json.Str(old, "reclaimPolicy") ?? "Delete"))
            yield return FieldErrors.Forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
        var mode = Json.Str(obj, "volumeBindingMode") ?? "Immediate";
        if (mode != (Json.Str(old, "volumeBindingMode") ?? "Immediate")) yield return FieldErrors.InvalidString("volumeBindingMode", mode, Immutable);
    }

    /// <summary>ValidatePriorityClassUpdate.</summary>
    private static IEnumerable<StatusCause> PriorityClass(JsonObject obj, JsonObject old)
    {
        if (Json.Long(obj, "value") != Json.Long(old, "value")) yield return FieldErrors.Forbidden("value", "may not be changed in an update.");
        foreach (var e in ImmutableString(obj, old, "preemptionPolicy", "preemptionPolicy")) yield return e;
    }

    /// <summary>ValidateImmutableField of a string (or pointer to one) at the object's top level.</summary>
    private static IEnumerable<StatusCause> ImmutableString(JsonObject obj, JsonObject old, string field, string path)
    {
        if (!Semantic.Equal(obj[field], old[field])) yield return FieldErrors.Invalid(path, GoValues.StringPointer(obj[field]), Immutable);
    }
}

/// <summary>
/// apimachinery's Semantic.DeepEqual over decoded JSON: an absent field, null and an empty list
/// are the same Go zero value.
/// </summary>
internal static class Semantic
{
    public static bool Equal(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(Normalize(a), Normalize(b));

    /// <summary>Sets <paramref name="field"/> of <paramref name="to"/> to a copy of <paramref name="from"/>'s (removed when it has none).</summary>
    public static void Copy(JsonObject? from, JsonObject to, string field)
    {
        if (from?[field] is { } v) to[field] = v.DeepClone();
        else to.Remove(field);
    }

    /// <summary>A copy of <paramref name="obj"/> without <paramref name="fields"/>.</summary>
    public static JsonObject? Without(JsonObject? obj, IEnumerable<string> fields)
    {
        if (obj?.DeepClone() is not JsonObject copy) return null;
        foreach (var f in fields) copy.Remove(f);
        return copy;
    }

    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !IsZero(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray { Count: 0 } => null,
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        _ => node?.DeepClone(),
    };

    private static bool IsZero(JsonNode? node) => node is null || node is JsonArray { Count: 0 };
}
