using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// core/v1 update rules of kube-apiserver 1.26: Service cluster IPs and IP families
/// (ValidateServiceUpdate), immutable ConfigMaps and Secrets, PersistentVolumeClaim specs; and
/// what the Service registry carries over from the stored object before it validates an update.
/// </summary>
internal static class CoreUpdateValidation
{
    private const string WhenImmutable = "field is immutable when `immutable` is set";
    private const string MayNotChange = "may not change once set";

    /// <summary>
    /// The Service registry's patchAllocatedValues and normalizeClusterIPs on update: cluster IPs,
    /// node ports and the health check node port the client left out keep their allocated values,
    /// and a changed clusterIP alone replaces clusterIPs (so validation sees the change).
    /// </summary>
    public static void PrepareServiceUpdate(JsonObject obj, JsonObject old)
    {
        if (Json.Obj(old, "spec") is not { } oldSpec || obj["spec"] is not JsonObject spec) return;
        if (NeedsClusterIp(oldSpec) && NeedsClusterIp(spec))
        {
            if (Json.MissingOrEmpty(spec, "clusterIP") && oldSpec["clusterIP"] is { } ip) spec["clusterIP"] = ip.DeepClone();
            if (Json.Arr(spec, "clusterIPs") is not { Count: > 0 } && Json.Arr(oldSpec, "clusterIPs") is { Count: > 0 } ips) spec["clusterIPs"] = ips.DeepClone();
        }
        if (NeedsNodePort(oldSpec) && NeedsNodePort(spec))
        {
            var used = NodePorts(oldSpec).Intersect(NodePorts(spec)).ToHashSet();
            var byName = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var port in Json.Objects(Json.Arr(oldSpec, "ports"))) byName[Json.Str(port, "name") ?? ""] = Json.Long(port, "nodePort") ?? 0;
            foreach (var port in Json.Objects(Json.Arr(spec, "ports")))
                if ((Json.Long(port, "nodePort") ?? 0) == 0 && byName.TryGetValue(Json.Str(port, "name") ?? "", out var np) && np != 0 && !used.Contains(np))
                    port["nodePort"] = np;
        }
        if (NeedsHealthCheckNodePort(oldSpec) && NeedsHealthCheckNodePort(spec) && (Json.Long(spec, "healthCheckNodePort") ?? 0) == 0 && oldSpec["healthCheckNodePort"] is { } hc)
            spec["healthCheckNodePort"] = hc.DeepClone();

        var clusterIp = Json.Str(spec, "clusterIP") ?? "";
        if (clusterIp != (Json.Str(oldSpec, "clusterIP") ?? "") && Semantic.Equal(spec["clusterIPs"], oldSpec["clusterIPs"]))
        {
            if (clusterIp.Length == 0) spec.Remove("clusterIPs");
            else spec["clusterIPs"] = new JsonArray(clusterIp);
        }
    }

    private static bool NeedsClusterIp(JsonObject spec) => (Json.Str(spec, "type") ?? "ClusterIP") != "ExternalName";

    private static bool NeedsNodePort(JsonObject spec) => Json.Str(spec, "type") switch
    {
        "NodePort" => true,
        "LoadBalancer" => Json.Bool(spec, "allocateLoadBalancerNodePorts") != false,
        _ => false,
    };

    private static bool NeedsHealthCheckNodePort(JsonObject spec) =>
        Json.Str(spec, "type") == "LoadBalancer" && Json.Str(spec, "externalTrafficPolicy") == "Local";

    private static IEnumerable<long> NodePorts(JsonObject spec) =>
        Json.Objects(Json.Arr(spec, "ports")).Select(p => Json.Long(p, "nodePort") ?? 0).Where(p => p != 0);

    /// <summary>validateUpgradeDowngradeClusterIPs, validateUpgradeDowngradeIPFamilies and the loadBalancerClass update rule.</summary>
    public static IEnumerable<StatusCause> Service(JsonObject spec, JsonObject oldSpec)
    {
        var errs = new List<StatusCause>();
        var externalName = Json.Str(spec, "type") == "ExternalName" || Json.Str(oldSpec, "type") == "ExternalName";
        var headless = IsHeadless(spec);
        var oldHeadless = IsHeadless(oldSpec);
        var ips = Strings(spec, "clusterIPs");
        var oldIps = Strings(oldSpec, "clusterIPs");
        var ipsValue = GoValues.StringSlice(spec["clusterIPs"]);
        if (!externalName && !(headless && oldHeadless))
        {
            if (oldIps.Count == ips.Count)
            {
                for (var i = 0; i < oldIps.Count; i++)
                    if (oldIps[i] != ips[i]) errs.Add(FieldErrors.Invalid($"spec.clusterIPs[{i}]", ipsValue, MayNotChange));
            }
            else if (oldIps.Count > ips.Count)
            {
                if (ips.Count == 0) errs.Add(FieldErrors.Invalid("spec.clusterIPs[0]", ipsValue, "primary clusterIP can not be unset"));
                if (oldIps.Count > 0 && ips.Count > 0 && ips[0] != oldIps[0]) errs.Add(FieldErrors.Invalid("spec.clusterIPs[0]", ipsValue, MayNotChange));
                if (ips.Count == 1 && Json.Str(spec, "ipFamilyPolicy") != "SingleStack")
                    errs.Add(FieldErrors.Invalid("spec.clusterIPs[0]", ipsValue, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
            else if (oldIps.Count > 0 && ips[0] != oldIps[0]) errs.Add(FieldErrors.Invalid("spec.clusterIPs[0]", ipsValue, MayNotChange));
        }
        if (!externalName && headless == oldHeadless && !headless)
        {
            var families = Strings(spec, "ipFamilies");
            var oldFamilies = Strings(oldSpec, "ipFamilies");
            var familiesValue = GoValues.Render(new GoValues.Slice("[]core.IPFamily", GoValues.Scalar.String), spec["ipFamilies"]);
            if (oldFamilies.Count == families.Count)
            {
                for (var i = 0; i < oldFamilies.Count; i++)
                    if (oldFamilies[i] != families[i]) errs.Add(FieldErrors.Invalid("spec.ipFamilies[0]", familiesValue, MayNotChange));
            }
            else if (oldFamilies.Count > families.Count)
            {
                if (ips.Count == 0) errs.Add(FieldErrors.Invalid("spec.ipFamilies[0]", familiesValue, "primary ipFamily can not be unset"));
                if (families.Count > 0 && families[0] != oldFamilies[0]) errs.Add(FieldErrors.Invalid("spec.ipFamilies[0]", ipsValue, MayNotChange));
                if (families.Count == 1 && Json.Str(spec, "ipFamilyPolicy") != "SingleStack")
                    errs.Add(FieldErrors.Invalid("spec.clusterIPs[0]", ipsValue, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary ipFamily"));
            }
            else if (oldFamilies.Count > 0 && families.Count > 0 && families[0] != oldFamilies[0])
                errs.Add(FieldErrors.Invalid("spec.ipFamilies[0]", ipsValue, MayNotChange));
        }
        if (Json.Str(spec, "type") == "LoadBalancer" && Json.Str(oldSpec, "type") == "LoadBalancer" && !Semantic.Equal(spec["loadBalancerClass"], oldSpec["loadBalancerClass"]))
            errs.Add(FieldErrors.Invalid("spec.loadBalancerClass", GoValues.StringPointer(spec["loadBalancerClass"]), MayNotChange));
        return errs;
    }

    private static bool IsHeadless(JsonObject spec) =>
        Json.Str(spec, "type") is null or "ClusterIP" && Strings(spec, "clusterIPs") is ["None"];

    private static List<string> Strings(JsonObject spec, string field) =>
        [.. (Json.Arr(spec, field) ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "")];

    /// <summary>ValidateConfigMapUpdate / ValidateSecretUpdate of an object created with <c>immutable: true</c>.</summary>
    public static IEnumerable<StatusCause> ImmutableData(JsonObject obj, JsonObject old, params string[] fields)
    {
        if (Json.Bool(old, "immutable") != true) yield break;
        if (Json.Bool(obj, "immutable") != true) yield return FieldErrors.Forbidden("immutable", WhenImmutable);
        foreach (var field in fields)
            if (!Semantic.Equal(obj[field], old[field])) yield return FieldErrors.Forbidden(field, WhenImmutable);
    }

    /// <summary>ValidateSecretUpdate: the type never changes; data (stringData already folded in) is immutable when the Secret is.</summary>
    public static IEnumerable<StatusCause> Secret(JsonObject obj, JsonObject old)
    {
        var type = Json.Str(obj, "type") ?? "";
        if (type != (Json.Str(old, "type") ?? "")) yield return FieldErrors.InvalidString("type", type, UpdateValidation.Immutable);
        foreach (var e in ImmutableData(obj, old, "data")) yield return e;
    }

    private const string BetaStorageClass = "volume.beta.kubernetes.io/storage-class";

    /// <summary>ValidatePersistentVolumeClaimUpdate of 1.26 (RecoverVolumeExpansionFailure off, RetroactiveDefaultStorageClass on).</summary>
    public static IEnumerable<StatusCause> PersistentVolumeClaim(JsonObject obj, JsonObject old)
    {
        var errs = new List<StatusCause>();
        var spec = Json.Obj(obj, "spec") ?? [];
        var oldSpec = Json.Obj(old, "spec") ?? [];
        var newClone = (JsonObject)spec.DeepClone();
        var oldClone = (JsonObject)oldSpec.DeepClone();
        // volumeName may be set once (by the persistent volume controller).
        if (Json.MissingOrEmpty(oldSpec, "volumeName")) Semantic.Copy(spec, oldClone, "volumeName");
        var annotation = Json.Str(Json.Obj(Json.Obj(obj, "metadata"), "annotations"), BetaStorageClass);
        var oldAnnotation = Json.Str(Json.Obj(Json.Obj(old, "metadata"), "annotations"), BetaStorageClass);
        var upgradeFromAnnotation = oldAnnotation is not null && Json.Missing(oldSpec, "storageClassName")
            && Json.Str(spec, "storageClassName") is { } newClass && newClass == oldAnnotation && (annotation is null || annotation == oldAnnotation);
        if (upgradeFromAnnotation) newClone.Remove("storageClassName");
        else
        {
            if (annotation != oldAnnotation)
                errs.Add(FieldErrors.InvalidString($"metadata.annotations.{BetaStorageClass}", annotation ?? "", UpdateValidation.Immutable));
            // A claim without a class (and no annotation) may get one (RetroactiveDefaultStorageClass).
            if (oldAnnotation is null && Json.Missing(oldSpec, "storageClassName") && Json.Str(spec, "storageClassName") is { Length: > 0 })
                newClone.Remove("storageClassName");
        }
        var requests = Json.Obj(Json.Obj(newClone, "resources"), "requests");
        if (Json.Str(Json.Obj(obj, "status"), "phase") == "Bound" && requests is not null)
        {
            if (Json.Obj(Json.Obj(oldSpec, "resources"), "requests")?["storage"] is { } oldStorage) requests["storage"] = oldStorage.DeepClone();
            else requests.Remove("storage");
        }
        if (!Semantic.Equal(newClone, oldClone))
            errs.Add(FieldErrors.Forbidden("spec", "spec is immutable after creation except resources.requests for bound claims\n"
                + SpecDiff.Render("core.PersistentVolumeClaimSpec", PvcSpecFields, oldClone, newClone)));
        var size = Json.Str(Json.Obj(Json.Obj(spec, "resources"), "requests"), "storage");
        var oldSize = Json.Str(Json.Obj(Json.Obj(oldSpec, "resources"), "requests"), "storage");
        if (GoValues.CompareQuantities(size ?? "0", oldSize ?? "0") < 0)
            errs.Add(FieldErrors.Forbidden("spec.resources.requests.storage", "field can not be less than previous value"));
        if (!Semantic.Equal(spec["volumeMode"], oldSpec["volumeMode"]))
            errs.Add(FieldErrors.Invalid("volumeMode", GoValues.StringPointer(spec["volumeMode"]), UpdateValidation.Immutable));
        return errs;
    }

    private static readonly (string Go, string Json)[] PvcSpecFields =
    [
        ("AccessModes", "accessModes"), ("Selector", "selector"), ("Resources", "resources"), ("VolumeName", "volumeName"),
        ("StorageClassName", "storageClassName"), ("VolumeMode", "volumeMode"), ("DataSource", "dataSource"), ("DataSourceRef", "dataSourceRef"),
    ];

}

/// <summary>
/// The diff kube-apiserver appends to a PersistentVolumeClaim's or Pod's spec Forbidden error
/// (go-cmp's cmp.Diff of the old and new internal specs), in cmp's shape: changed fields as
/// <c>-</c>/<c>+</c> lines, runs of unchanged ones as <c>... // N identical fields</c>. cmp's own
/// output is deliberately unstable (it randomly uses non-breaking spaces) and aligns values; this
/// one does neither, and prints nested values in a compact cmp-like notation.
/// </summary>
internal static class SpecDiff
{
    public static string Render(string typeName, IReadOnlyList<(string Go, string Json)> fields, JsonObject old, JsonObject updated)
    {
        var sb = new StringBuilder();
        sb.Append("  ").Append(typeName).Append("{\n");
        var identical = 0;
        void Flush()
        {
            if (identical > 0) sb.Append("  \t... // ").Append(identical).Append(identical == 1 ? " identical field\n" : " identical fields\n");
            identical = 0;
        }
        foreach (var (go, json) in fields)
        {
            if (Semantic.Equal(old[json], updated[json])) { identical++; continue; }
            Flush();
            sb.Append("- \t").Append(go).Append(": ").Append(Value(old[json])).Append(",\n");
            sb.Append("+ \t").Append(go).Append(": ").Append(Value(updated[json])).Append(",\n");
        }
        Flush();
        return sb.Append("  }\n").ToString();
    }

    private static string Value(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"{char.ToUpperInvariant(p.Key[0])}{p.Key[1..]}: {Value(p.Value)}")) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(Value)) + "}",
        _ => GoFormat.Value(node),
    };
}
