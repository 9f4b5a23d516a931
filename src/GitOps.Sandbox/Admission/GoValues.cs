using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// Go's <c>%#v</c> of the typed values kube-apiserver 1.26 puts in a field error (field.Invalid of a
/// struct: a LabelSelector, an rbac.RoleRef, a Job's pod template), rendered from the JSON object
/// with each struct's fields in their Go declaration order. A non-nil pointer inside a value prints
/// its address in Go, which differs on every run: here it is always <see cref="Address"/>.
/// </summary>
internal static class GoValues
{
    /// <summary>The address every non-nil nested pointer prints as.</summary>
    public const string Address = "0xc000000000";

    /// <summary>What ErrorBody prints for a nil pointer value.</summary>
    public const string Nil = "null";

    /// <summary>A metav1.LabelSelector pointer, dereferenced as field errors do.</summary>
    public static string LabelSelector(JsonNode? selector) => selector is JsonObject o ? Render(Types.LabelSelector, o) : Nil;

    /// <summary>An rbac.RoleRef (a struct value, never nil).</summary>
    public static string RoleRef(JsonNode? roleRef) => Render(Types.RoleRef, roleRef);

    /// <summary>A *batch.PodFailurePolicy, dereferenced.</summary>
    public static string PodFailurePolicy(JsonNode? policy) => policy is JsonObject o ? Render(Types.PodFailurePolicy, o) : Nil;

    /// <summary>A *core.PodTemplateSpec (a Job's spec.template), dereferenced.</summary>
    public static string PodTemplateSpec(JsonNode? template) => Render(Types.PodTemplateSpec, template);

    /// <summary>A []string (nil when absent).</summary>
    public static string StringSlice(JsonNode? values) => Render(new Slice("[]string", Scalar.String), values);

    /// <summary>A pointer to a named string type (PersistentVolumeMode, VolumeBindingMode, ...), dereferenced.</summary>
    public static string StringPointer(JsonNode? value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? GoFormat.Quote(v.GetValue<string>()) : Nil;

    internal abstract record GoType;

    /// <summary>A string (or named string type), integer or bool; zero when absent.</summary>
    internal sealed record Scalar(char Kind) : GoType
    {
        public static readonly Scalar String = new('s');
        public static readonly Scalar Int = new('i');
        public static readonly Scalar Bool = new('b');
    }

    /// <summary>A pointer: <c>(*T)(nil)</c> or <c>(*T)(0xc...)</c>.</summary>
    internal sealed record Pointer(string Name) : GoType;

    internal sealed record Struct(string Name, params Field[] Fields) : GoType;

    internal sealed record Field(string GoName, string JsonName, GoType Type);

    internal sealed record Slice(string Name, GoType Element) : GoType;

    /// <summary>A map with string keys (map[string]string, core.ResourceList of quantities).</summary>
    internal sealed record Map(string Name, GoType Value) : GoType;

    /// <summary>A metav1.Time: its GoString, <c>time.Date(...)</c>; <c>&lt;nil&gt;</c> for a nil *Time.</summary>
    internal sealed record Time(bool IsPointer) : GoType;

    /// <summary>A resource.Quantity as parsed from its string.</summary>
    internal sealed record Quantity : GoType;

    /// <summary>An intstr.IntOrString.</summary>
    internal sealed record IntOrString : GoType;

    internal static string Render(GoType type, JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, type, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, GoType type, JsonNode? node)
    {
        switch (type)
        {
            case Scalar { Kind: 's' }:
                sb.Append(GoFormat.Quote(node is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : ""));
                break;
            case Scalar { Kind: 'i' }:
                sb.Append(node is JsonValue i && Json.AsLong(i) is { } l ? l.ToString(CultureInfo.InvariantCulture) : "0");
                break;
            case Scalar:
                sb.Append(node is JsonValue b && b.GetValueKind() == JsonValueKind.True ? "true" : "false");
                break;
            case Pointer p:
                sb.Append("(*").Append(p.Name).Append(")(").Append(node is null ? "nil" : Address).Append(')');
                break;
            case Struct st:
                sb.Append(st.Name).Append('{');
                for (var f = 0; f < st.Fields.Length; f++)
                {
                    if (f > 0) sb.Append(", ");
                    sb.Append(st.Fields[f].GoName).Append(':');
                    Write(sb, st.Fields[f].Type, st.Fields[f].Type is Inline ? node : (node as JsonObject)?[st.Fields[f].JsonName]);
                }
                sb.Append('}');
                break;
            case Slice sl when node is JsonArray a:
                sb.Append(sl.Name).Append('{');
                for (var e = 0; e < a.Count; e++)
                {
                    if (e > 0) sb.Append(", ");
                    Write(sb, sl.Element, a[e]);
                }
                sb.Append('}');
                break;
            case Map m when node is JsonObject o:
                sb.Append(m.Name).Append('{');
                var first = true;
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(GoFormat.Quote(k)).Append(':');
                    Write(sb, m.Value, v);
                }
                sb.Append('}');
                break;
            case Slice or Map:
                sb.Append(type is Slice s2 ? s2.Name : ((Map)type).Name).Append("(nil)");
                break;
            case Time t:
                sb.Append(node is JsonValue tv && tv.GetValueKind() == JsonValueKind.String
                    ? GoDate(tv.GetValue<string>())
                    : t.IsPointer ? "<nil>" : "time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)");
                break;
            case Inline inline:
                Write(sb, inline.Embedded, node);
                break;
            case Quantity:
                sb.Append(QuantityValue(node));
                break;
            case IntOrString:
                var isString = node is JsonValue iv && iv.GetValueKind() == JsonValueKind.String;
                var intVal = !isString && node is JsonValue nv && Json.AsLong(nv) is { } n ? n : 0;
                sb.Append("intstr.IntOrString{Type:").Append(isString ? 1 : 0).Append(", IntVal:").Append(intVal)
                  .Append(", StrVal:").Append(GoFormat.Quote(isString ? ((JsonValue)node!).GetValue<string>() : "")).Append('}');
                break;
        }
    }

    private static string GoDate(string rfc3339)
    {
        if (!DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return "time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)";
        var u = t.UtcDateTime;
        return $"time.Date({u.Year}, time.{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(u.Month)}, {u.Day}, {u.Hour}, {u.Minute}, {u.Second}, 0, time.Local)";
    }

    /// <summary>
    /// resource.Quantity{i:int64Amount{value, scale}, d:infDec{nil}, s:"", Format}: the parsed mantissa
    /// and decimal scale (binary suffixes multiplied out), the string cache empty as after decoding.
    /// </summary>
    private static string QuantityValue(JsonNode? node)
    {
        var text = node is JsonValue v ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : "0";
        var (value, scale, format) = ParseQuantity(text);
        return $"resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, d:resource.infDec{{Dec:(*inf.Dec)(nil)}}, s:\"\", Format:\"{format}\"}}";
    }

    /// <summary>Compares two quantities (resource.Quantity.Cmp): negative when <paramref name="a"/> is smaller.</summary>
    public static int CompareQuantities(string a, string b)
    {
        static decimal Amount(string q)
        {
            var (value, scale, _) = ParseQuantity(q);
            try { return value * (decimal)Math.Pow(10, scale); }
            catch (OverflowException) { return scale > 0 ? decimal.MaxValue : 0; }
        }
        return Amount(a).CompareTo(Amount(b));
    }

    private static (long Value, int Scale, string Format) ParseQuantity(string text)
    {
        var end = 0;
        while (end < text.Length && (char.IsDigit(text[end]) || text[end] is '.' or '+' or '-')) end++;
        var number = text[..end];
        var suffix = text[end..];
        var dot = number.IndexOf('.', StringComparison.Ordinal);
        var scale = dot < 0 ? 0 : -(number.Length - dot - 1);
        _ = long.TryParse(number.Replace(".", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var mantissa);
        string[] binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var b = Array.IndexOf(binary, suffix);
        if (b >= 0)
        {
            var value = mantissa;
            for (var k = 0; k <= b; k++) value *= 1024;
            return (value, scale, "BinarySI");
        }
        var exponent = suffix switch { "n" => -9, "u" => -6, "m" => -3, "k" => 3, "M" => 6, "G" => 9, "T" => 12, "P" => 15, "E" => 18, _ => 0 };
        if (suffix.StartsWith('e') || suffix.StartsWith('E'))
        {
            _ = int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent);
            return (mantissa, scale + exponent, "DecimalExponent");
        }
        return (mantissa, scale + exponent, "DecimalSI");
    }

    /// <summary>The Go layouts of the 1.26 types these errors print (internal core, batch and rbac types).</summary>
    internal static class Types
    {
        private static Field F(string go, GoType type) => new(go, char.ToLowerInvariant(go[0]) + go[1..], type);
        private static Field F(string go, string json, GoType type) => new(go, json, type);
        private static readonly Scalar S = Scalar.String;
        private static readonly Scalar I = Scalar.Int;
        private static readonly Scalar B = Scalar.Bool;
        private static Slice Strings => new("[]string", S);

        public static readonly Struct LabelSelectorRequirement = new("v1.LabelSelectorRequirement", F("Key", S), F("Operator", S), F("Values", Strings));

        public static readonly Struct LabelSelector = new("v1.LabelSelector",
            F("MatchLabels", new Map("map[string]string", S)),
            F("MatchExpressions", new Slice("[]v1.LabelSelectorRequirement", LabelSelectorRequirement)));

        public static readonly Struct RoleRef = new("rbac.RoleRef", F("APIGroup", "apiGroup", S), F("Kind", S), F("Name", S));

        public static readonly Struct PodFailurePolicy = new("batch.PodFailurePolicy",
            F("Rules", new Slice("[]batch.PodFailurePolicyRule", new Struct("batch.PodFailurePolicyRule",
                F("Action", S),
                F("OnExitCodes", new Pointer("batch.PodFailurePolicyOnExitCodesRequirement")),
                F("OnPodConditions", new Slice("[]batch.PodFailurePolicyOnPodConditionsPattern",
                    new Struct("batch.PodFailurePolicyOnPodConditionsPattern", F("Type", S), F("Status", S))))))));

        private static readonly Struct ObjectMeta = new("v1.ObjectMeta",
            F("Name", S), F("GenerateName", S), F("Namespace", S), F("SelfLink", S), F("UID", "uid", S), F("ResourceVersion", S),
            F("Generation", I), F("CreationTimestamp", new Time(false)), F("DeletionTimestamp", new Time(true)),
            F("DeletionGracePeriodSeconds", new Pointer("int64")), F("Labels", new Map("map[string]string", S)),
            F("Annotations", new Map("map[string]string", S)), F("OwnerReferences", new Slice("[]v1.OwnerReference", new Struct("v1.OwnerReference",
                F("APIVersion", "apiVersion", S), F("Kind", S), F("Name", S), F("UID", "uid", S), F("Controller", new Pointer("bool")), F("BlockOwnerDeletion", new Pointer("bool"))))),
            F("Finalizers", Strings), F("ManagedFields", new Slice("[]v1.ManagedFieldsEntry", new Pointer("v1.ManagedFieldsEntry"))));

        private static readonly Map ResourceList = new("core.ResourceList", new Quantity());

        private static readonly Struct Container = new("core.Container",
            F("Name", S), F("Image", S), F("Command", Strings), F("Args", Strings), F("WorkingDir", S),
            F("Ports", new Slice("[]core.ContainerPort", new Struct("core.ContainerPort", F("Name", S), F("HostPort", I), F("ContainerPort", I), F("Protocol", S), F("HostIP", "hostIP", S)))),
            F("EnvFrom", new Slice("[]core.EnvFromSource", new Struct("core.EnvFromSource", F("Prefix", S), F("ConfigMapRef", new Pointer("core.ConfigMapEnvSource")), F("SecretRef", new Pointer("core.SecretEnvSource"))))),
            F("Env", new Slice("[]core.EnvVar", new Struct("core.EnvVar", F("Name", S), F("Value", S), F("ValueFrom", new Pointer("core.EnvVarSource"))))),
            F("Resources", new Struct("core.ResourceRequirements", F("Limits", ResourceList), F("Requests", ResourceList),
                F("Claims", new Slice("[]core.ResourceClaim", new Struct("core.ResourceClaim", F("Name", S)))))),
            F("VolumeMounts", new Slice("[]core.VolumeMount", new Struct("core.VolumeMount", F("Name", S), F("ReadOnly", B), F("MountPath", S), F("SubPath", S),
                F("MountPropagation", new Pointer("core.MountPropagationMode")), F("SubPathExpr", S)))),
            F("VolumeDevices", new Slice("[]core.VolumeDevice", new Struct("core.VolumeDevice", F("Name", S), F("DevicePath", S)))),
            F("LivenessProbe", new Pointer("core.Probe")), F("ReadinessProbe", new Pointer("core.Probe")), F("StartupProbe", new Pointer("core.Probe")),
            F("Lifecycle", new Pointer("core.Lifecycle")), F("TerminationMessagePath", S), F("TerminationMessagePolicy", S), F("ImagePullPolicy", S),
            F("SecurityContext", new Pointer("core.SecurityContext")), F("Stdin", B), F("StdinOnce", B), F("TTY", "tty", B));

        private static readonly string[] VolumeSources =
        [
            "HostPath", "EmptyDir", "GCEPersistentDisk:gcePersistentDisk", "AWSElasticBlockStore:awsElasticBlockStore", "GitRepo", "Secret",
            "NFS:nfs", "ISCSI:iscsi", "Glusterfs", "PersistentVolumeClaim", "RBD:rbd", "Quobyte", "FlexVolume", "Cinder", "CephFS:cephfs", "Flocker",
            "DownwardAPI:downwardAPI", "FC:fc", "AzureFile", "ConfigMap", "VsphereVolume", "AzureDisk", "PhotonPersistentDisk", "Projected",
            "PortworxVolume", "ScaleIO", "StorageOS:storageos", "CSI:csi", "Ephemeral",
        ];

        private static readonly Dictionary<string, string> VolumeSourceTypes = new(StringComparer.Ordinal)
        {
            ["HostPath"] = "HostPathVolumeSource", ["EmptyDir"] = "EmptyDirVolumeSource", ["GitRepo"] = "GitRepoVolumeSource",
            ["Secret"] = "SecretVolumeSource", ["NFS"] = "NFSVolumeSource", ["PersistentVolumeClaim"] = "PersistentVolumeClaimVolumeSource",
            ["DownwardAPI"] = "DownwardAPIVolumeSource", ["ConfigMap"] = "ConfigMapVolumeSource", ["Projected"] = "ProjectedVolumeSource",
            ["CSI"] = "CSIVolumeSource", ["Ephemeral"] = "EphemeralVolumeSource", ["ISCSI"] = "ISCSIVolumeSource", ["RBD"] = "RBDVolumeSource",
            ["FC"] = "FCVolumeSource", ["CephFS"] = "CephFSVolumeSource", ["AzureFile"] = "AzureFileVolumeSource", ["AzureDisk"] = "AzureDiskVolumeSource",
            ["GCEPersistentDisk"] = "GCEPersistentDiskVolumeSource", ["AWSElasticBlockStore"] = "AWSElasticBlockStoreVolumeSource",
            ["Glusterfs"] = "GlusterfsVolumeSource", ["Quobyte"] = "QuobyteVolumeSource", ["FlexVolume"] = "FlexVolumeSource",
            ["Cinder"] = "CinderVolumeSource", ["Flocker"] = "FlockerVolumeSource", ["VsphereVolume"] = "VsphereVirtualDiskVolumeSource",
            ["PhotonPersistentDisk"] = "PhotonPersistentDiskVolumeSource", ["PortworxVolume"] = "PortworxVolumeSource",
            ["ScaleIO"] = "ScaleIOVolumeSource", ["StorageOS"] = "StorageOSVolumeSource",
        };

        private static Struct Volume()
        {
            var sources = VolumeSources.Select(s =>
            {
                var parts = s.Split(':');
                var json = parts.Length > 1 ? parts[1] : char.ToLowerInvariant(parts[0][0]) + parts[0][1..];
                return new Field(parts[0], json, new Pointer("core." + VolumeSourceTypes[parts[0]]));
            }).ToArray();
            return new Struct("core.Volume", F("Name", S), new Field("VolumeSource", "", new Inline(new Struct("core.VolumeSource", sources))));
        }

        private static readonly Struct PodSpec = new("core.PodSpec",
            F("Volumes", new Slice("[]core.Volume", Volume())),
            F("InitContainers", new Slice("[]core.Container", Container)),
            F("Containers", new Slice("[]core.Container", Container)),
            F("EphemeralContainers", new Slice("[]core.EphemeralContainer", new Pointer("core.EphemeralContainer"))),
            F("RestartPolicy", S), F("TerminationGracePeriodSeconds", new Pointer("int64")), F("ActiveDeadlineSeconds", new Pointer("int64")),
            F("DNSPolicy", "dnsPolicy", S), F("NodeSelector", new Map("map[string]string", S)), F("ServiceAccountName", S),
            F("AutomountServiceAccountToken", new Pointer("bool")), F("NodeName", S), F("SecurityContext", new Pointer("core.PodSecurityContext")),
            F("ImagePullSecrets", new Slice("[]core.LocalObjectReference", new Struct("core.LocalObjectReference", F("Name", S)))),
            F("Hostname", S), F("Subdomain", S), F("SetHostnameAsFQDN", "setHostnameAsFQDN", new Pointer("bool")),
            F("Affinity", new Pointer("core.Affinity")), F("SchedulerName", S),
            F("Tolerations", new Slice("[]core.Toleration", new Struct("core.Toleration", F("Key", S), F("Operator", S), F("Value", S), F("Effect", S), F("TolerationSeconds", new Pointer("int64"))))),
            F("HostAliases", new Slice("[]core.HostAlias", new Struct("core.HostAlias", F("IP", "ip", S), F("Hostnames", Strings)))),
            F("PriorityClassName", S), F("Priority", new Pointer("int32")), F("PreemptionPolicy", new Pointer("core.PreemptionPolicy")),
            F("DNSConfig", "dnsConfig", new Pointer("core.PodDNSConfig")),
            F("ReadinessGates", new Slice("[]core.PodReadinessGate", new Struct("core.PodReadinessGate", F("ConditionType", S)))),
            F("RuntimeClassName", new Pointer("string")), F("Overhead", ResourceList), F("EnableServiceLinks", new Pointer("bool")),
            F("TopologySpreadConstraints", new Slice("[]core.TopologySpreadConstraint", new Struct("core.TopologySpreadConstraint",
                F("MaxSkew", I), F("TopologyKey", S), F("WhenUnsatisfiable", S), F("LabelSelector", new Pointer("v1.LabelSelector")),
                F("MinDomains", new Pointer("int32")), F("NodeAffinityPolicy", new Pointer("core.NodeInclusionPolicy")),
                F("NodeTaintsPolicy", new Pointer("core.NodeInclusionPolicy")), F("MatchLabelKeys", Strings)))),
            F("OS", "os", new Pointer("core.PodOS")),
            F("SchedulingGates", new Slice("[]core.PodSchedulingGate", new Struct("core.PodSchedulingGate", F("Name", S)))),
            F("ResourceClaims", new Slice("[]core.PodResourceClaim", new Struct("core.PodResourceClaim", F("Name", S),
                F("Source", new Struct("core.ClaimSource", F("ResourceClaimName", new Pointer("string")), F("ResourceClaimTemplateName", new Pointer("string"))))))));

        public static readonly Struct PodTemplateSpec = new("core.PodTemplateSpec", F("ObjectMeta", "metadata", ObjectMeta), F("Spec", PodSpec));

        /// <summary>core.PodSpec's fields in declaration order: Go name and JSON name.</summary>
        public static IReadOnlyList<(string Go, string Json)> PodSpecFields { get; } = [.. PodSpec.Fields.Select(f => (f.GoName, f.JsonName))];
    }

    /// <summary>An embedded struct whose fields sit in the parent JSON object (Volume.VolumeSource).</summary>
    internal sealed record Inline(Struct Embedded) : GoType;
}
