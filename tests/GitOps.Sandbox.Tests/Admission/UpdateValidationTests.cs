using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using Xunit;

namespace GitOps.Sandbox.Tests.Admission;

/// <summary>
/// The update rules of kube-apiserver 1.26 (UpdateValidation) on defaulted objects: the causes,
/// their order and how Go prints their values. Each case changes a stored object
/// (<c>old</c>) with a JSON merge patch; <c>expected</c> lists "reason|field: message".
/// </summary>
public sealed class UpdateValidationTests
{
    private const string Immutable = "field is immutable";

    private const string JobTemplate = """
        {"metadata":{"labels":{"job-name":"pi"}},"spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
         "securityContext":{},"schedulerName":"default-scheduler","containers":[{"name":"pi","image":"perl:5.34.0","resources":{},
         "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}]}}
        """;

    private static readonly string Job = $$$"""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi"},"spec":{"parallelism":1,"completions":1,"completionMode":"NonIndexed",
         "backoffLimit":6,"suspend":false,"selector":{"matchLabels":{"job-name":"pi"}},"template":{{{JobTemplate}}}}}
        """;

    private const string PvcForbidden = "FieldValueForbidden|spec: Forbidden: spec is immutable after creation except resources.requests for bound claims\n";

    private const string Pvc = """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],
         "resources":{"requests":{"storage":"1Gi"}},"storageClassName":"standard","volumeMode":"Filesystem"},"status":{"phase":"Pending"}}
        """;

    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}],"activeDeadlineSeconds":20,
         "terminationGracePeriodSeconds":-1,"tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]}}
        """;

    private const string Service = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},"spec":{"type":"LoadBalancer","loadBalancerClass":"a.example.com/lb",
         "clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","ports":[{"port":80}]}}
        """;

    public static TheoryData<string, string, string, string, string, string[]> Update_TestData() => new()
    {
        { "Deployment selector with expressions", "apps", "Deployment",
            """{"spec":{"selector":{"matchLabels":{"app":"web"}}}}""",
            """{"spec":{"selector":{"matchLabels":null,"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]}}}""",
            ["FieldValueInvalid|spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"tier\", Operator:\"In\", Values:[]string{\"a\", \"b\"}}}}: " + Immutable] },
        { "Deployment selector removed", "apps", "Deployment", """{"spec":{"selector":{"matchLabels":{"app":"web"}}}}""", """{"spec":{"selector":null}}""",
            ["FieldValueInvalid|spec.selector: Invalid value: null: " + Immutable] },
        { "Deployment selector: empty and absent lists are the same", "apps", "Deployment",
            """{"spec":{"selector":{"matchLabels":{"app":"web"}}}}""", """{"spec":{"selector":{"matchExpressions":[]}}}""", [] },
        { "StatefulSet volumeClaimTemplates and podManagementPolicy", "apps", "StatefulSet",
            """{"spec":{"replicas":1,"serviceName":"db","podManagementPolicy":"OrderedReady"}}""", """{"spec":{"podManagementPolicy":"Parallel","volumeClaimTemplates":[{"metadata":{"name":"data"}}]}}""",
            ["FieldValueForbidden|spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"] },
        { "StatefulSet mutable fields", "apps", "StatefulSet",
            """{"spec":{"replicas":1,"serviceName":"db"}}""",
            """{"spec":{"replicas":3,"ordinals":{"start":2},"minReadySeconds":5,"updateStrategy":{"type":"OnDelete"},"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete"},"template":{"metadata":{"labels":{"a":"b"}}}}}""",
            [] },
        { "Job template", "batch", "Job", Job, """{"spec":{"template":{"spec":{"containers":[{"name":"pi","image":"perl:5.36","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}]}}}}""",
            ["FieldValueInvalid|spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", GenerateName:\"\", Namespace:\"\", SelfLink:\"\", UID:\"\", ResourceVersion:\"\", Generation:0, "
             + "CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string{\"job-name\":\"pi\"}, "
             + "Annotations:map[string]string(nil), OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}, "
             + "Spec:core.PodSpec{Volumes:[]core.Volume(nil), InitContainers:[]core.Container(nil), Containers:[]core.Container{core.Container{Name:\"pi\", Image:\"perl:5.36\", "
             + "Command:[]string(nil), Args:[]string(nil), WorkingDir:\"\", Ports:[]core.ContainerPort(nil), EnvFrom:[]core.EnvFromSource(nil), Env:[]core.EnvVar(nil), "
             + "Resources:core.ResourceRequirements{Limits:core.ResourceList(nil), Requests:core.ResourceList(nil), Claims:[]core.ResourceClaim(nil)}, VolumeMounts:[]core.VolumeMount(nil), "
             + "VolumeDevices:[]core.VolumeDevice(nil), LivenessProbe:(*core.Probe)(nil), ReadinessProbe:(*core.Probe)(nil), StartupProbe:(*core.Probe)(nil), Lifecycle:(*core.Lifecycle)(nil), "
             + "TerminationMessagePath:\"/dev/termination-log\", TerminationMessagePolicy:\"File\", ImagePullPolicy:\"IfNotPresent\", SecurityContext:(*core.SecurityContext)(nil), "
             + "Stdin:false, StdinOnce:false, TTY:false}}, EphemeralContainers:[]core.EphemeralContainer(nil), RestartPolicy:\"Never\", TerminationGracePeriodSeconds:(*int64)(0xc000000000), "
             + "ActiveDeadlineSeconds:(*int64)(nil), DNSPolicy:\"ClusterFirst\", NodeSelector:map[string]string(nil), ServiceAccountName:\"\", AutomountServiceAccountToken:(*bool)(nil), "
             + "NodeName:\"\", SecurityContext:(*core.PodSecurityContext)(0xc000000000), ImagePullSecrets:[]core.LocalObjectReference(nil), Hostname:\"\", Subdomain:\"\", "
             + "SetHostnameAsFQDN:(*bool)(nil), Affinity:(*core.Affinity)(nil), SchedulerName:\"default-scheduler\", Tolerations:[]core.Toleration(nil), HostAliases:[]core.HostAlias(nil), "
             + "PriorityClassName:\"\", Priority:(*int32)(nil), PreemptionPolicy:(*core.PreemptionPolicy)(nil), DNSConfig:(*core.PodDNSConfig)(nil), ReadinessGates:[]core.PodReadinessGate(nil), "
             + "RuntimeClassName:(*string)(nil), Overhead:core.ResourceList(nil), EnableServiceLinks:(*bool)(nil), TopologySpreadConstraints:[]core.TopologySpreadConstraint(nil), "
             + "OS:(*core.PodOS)(nil), SchedulingGates:[]core.PodSchedulingGate(nil), ResourceClaims:[]core.PodResourceClaim(nil)}}: " + Immutable] },
        { "Job completions, completionMode and podFailurePolicy, in the order checked", "batch", "Job", Job,
            """{"spec":{"completions":4,"completionMode":"Indexed","podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"operator":"In","values":[42]}}]}}}""",
            ["FieldValueInvalid|spec.completions: Invalid value: 4: " + Immutable,
             "FieldValueInvalid|spec.completionMode: Invalid value: \"Indexed\": " + Immutable,
             "FieldValueInvalid|spec.podFailurePolicy: Invalid value: batch.PodFailurePolicy{Rules:[]batch.PodFailurePolicyRule{batch.PodFailurePolicyRule{Action:\"FailJob\", "
             + "OnExitCodes:(*batch.PodFailurePolicyOnExitCodesRequirement)(0xc000000000), OnPodConditions:[]batch.PodFailurePolicyOnPodConditionsPattern(nil)}}}: " + Immutable] },
        { "Job parallelism, suspend and backoffLimit may change", "batch", "Job", Job, """{"spec":{"parallelism":3,"suspend":true,"backoffLimit":1}}""", [] },
        { "suspended Job never started: scheduling directives may change", "batch", "Job", Job.Replace("\"suspend\":false", "\"suspend\":true", StringComparison.Ordinal),
            """{"spec":{"template":{"metadata":{"labels":{"pool":"b"},"annotations":{"a":"b"}},"spec":{"nodeSelector":{"pool":"b"},"tolerations":[{"key":"pool","operator":"Exists"}],"affinity":{"nodeAffinity":{}}}}}}""",
            [] },
        { "suspended Job never started: other template fields may not", "batch", "Job", Job.Replace("\"suspend\":false", "\"suspend\":true", StringComparison.Ordinal),
            """{"spec":{"template":{"spec":{"affinity":{"podAffinity":{}}}}}}""",
            ["FieldValueInvalid|spec.template: Invalid value: core.PodTemplateSpec{...: " + Immutable] },
        { "running Job: scheduling directives are immutable", "batch", "Job", Job.Replace("\"suspend\":false", "\"suspend\":true", StringComparison.Ordinal)[..^1] + ",\"status\":{\"startTime\":\"2026-01-01T00:00:00Z\"}}",
            """{"spec":{"template":{"spec":{"nodeSelector":{"pool":"b"}}}}}""",
            ["FieldValueInvalid|spec.template: Invalid value: core.PodTemplateSpec{...: " + Immutable] },
        { "Service cluster IP, IP family and load balancer class", "", "Service", Service,
            """{"spec":{"clusterIP":"10.96.0.11","clusterIPs":["10.96.0.11"],"ipFamilies":["IPv6"],"loadBalancerClass":"b.example.com/lb"}}""",
            ["FieldValueInvalid|spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set",
             "FieldValueInvalid|spec.ipFamilies[0]: Invalid value: []core.IPFamily{\"IPv6\"}: may not change once set",
             "FieldValueInvalid|spec.loadBalancerClass: Invalid value: \"b.example.com/lb\": may not change once set"] },
        { "Service primary cluster IP released", "", "Service", Service, """{"spec":{"clusterIPs":null}}""",
            ["FieldValueInvalid|spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset"] },
        { "Service to ExternalName", "", "Service", Service, """{"spec":{"type":"ExternalName","externalName":"example.com","clusterIP":null,"clusterIPs":null,"ipFamilies":null,"loadBalancerClass":null}}""", [] },
        { "ConfigMap immutable: every field, in order", "", "ConfigMap",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"immutable":true,"data":{"a":"1"},"binaryData":{"b":"MQ=="}}""",
            """{"immutable":null,"data":{"a":"2"},"binaryData":null}""",
            ["FieldValueForbidden|immutable: Forbidden: field is immutable when `immutable` is set",
             "FieldValueForbidden|data: Forbidden: field is immutable when `immutable` is set",
             "FieldValueForbidden|binaryData: Forbidden: field is immutable when `immutable` is set"] },
        { "ConfigMap not immutable: data may change", "", "ConfigMap", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}""",
            """{"data":{"a":"2"},"immutable":true}""", [] },
        { "Secret type and immutable data", "", "Secret",
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"immutable":true,"type":"Opaque","data":{"a":"MQ=="}}""",
            """{"type":"kubernetes.io/basic-auth","data":{"a":"Mg=="}}""",
            ["FieldValueInvalid|type: Invalid value: \"kubernetes.io/basic-auth\": " + Immutable,
             "FieldValueForbidden|data: Forbidden: field is immutable when `immutable` is set"] },
        { "PersistentVolumeClaim access modes", "", "PersistentVolumeClaim", Pvc, """{"spec":{"accessModes":["ReadWriteMany"]}}""",
            [PvcForbidden + "  core.PersistentVolumeClaimSpec{\n- \tAccessModes: {\"ReadWriteOnce\"},\n+ \tAccessModes: {\"ReadWriteMany\"},\n  \t... // 7 identical fields\n  }\n"] },
        { "PersistentVolumeClaim volume mode", "", "PersistentVolumeClaim", Pvc, """{"spec":{"volumeMode":"Block"}}""",
            [PvcForbidden + "  core.PersistentVolumeClaimSpec{\n  \t... // 5 identical fields\n- \tVolumeMode: \"Filesystem\",\n+ \tVolumeMode: \"Block\",\n  \t... // 2 identical fields\n  }\n",
             "FieldValueInvalid|volumeMode: Invalid value: \"Block\": " + Immutable] },
        { "PersistentVolumeClaim smaller", "", "PersistentVolumeClaim", Pvc.Replace("Pending", "Bound", StringComparison.Ordinal), """{"spec":{"resources":{"requests":{"storage":"512Mi"}}}}""",
            ["FieldValueForbidden|spec.resources.requests.storage: Forbidden: field can not be less than previous value"] },
        { "PersistentVolumeClaim bound: larger, and volumeName set once", "", "PersistentVolumeClaim", Pvc.Replace("Pending", "Bound", StringComparison.Ordinal),
            """{"spec":{"resources":{"requests":{"storage":"2Gi"}},"volumeName":"pv-1"}}""", [] },
        { "PersistentVolumeClaim without class gets one", "", "PersistentVolumeClaim", Pvc.Replace("\"storageClassName\":\"standard\",", "", StringComparison.Ordinal),
            """{"spec":{"storageClassName":"fast"}}""", [] },
        { "Pod image, lower deadline, toleration seconds, grace period from negative to 1", "", "Pod", Pod,
            """{"spec":{"containers":[{"name":"app","image":"nginx:1.28"}],"activeDeadlineSeconds":10,"terminationGracePeriodSeconds":1,"tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":30},{"key":"new","operator":"Exists"}]}}""",
            [] },
        { "Pod higher deadline", "", "Pod", Pod, """{"spec":{"activeDeadlineSeconds":30}}""",
            ["FieldValueInvalid|spec.activeDeadlineSeconds: Invalid value: 30: must be less than or equal to previous value"] },
        { "Pod deadline removed", "", "Pod", Pod, """{"spec":{"activeDeadlineSeconds":null}}""",
            ["FieldValueInvalid|spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"] },
        { "Pod toleration changed", "", "Pod", Pod, """{"spec":{"tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule"}]}}""",
            ["FieldValueForbidden|spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"] },
        { "Pod node name", "", "Pod", Pod, """{"spec":{"nodeName":"node-b"}}""",
            ["FieldValueForbidden|spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
             + "  core.PodSpec{\n  \t... // 11 identical fields\n- \tNodeName: nil,\n+ \tNodeName: \"node-b\",\n  \t... // 21 identical fields\n  }\n"] },
        { "Pod init container removed", "", "Pod", Pod[..^2] + ",\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox\"}]}}", """{"spec":{"initContainers":null}}""",
            ["FieldValueForbidden|spec.initContainers: Forbidden: pod updates may not add or remove containers"] },
        { "ClusterRoleBinding roleRef", "rbac.authorization.k8s.io", "ClusterRoleBinding",
            """{"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}""", """{"roleRef":{"kind":"Role","name":"edit"}}""",
            ["FieldValueInvalid|roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"edit\"}: cannot change roleRef"] },
        { "StorageClass: every field, in order", "storage.k8s.io", "StorageClass",
            """{"provisioner":"a.example.com","parameters":{"type":"ssd"},"reclaimPolicy":"Delete","volumeBindingMode":"Immediate","allowVolumeExpansion":false}""",
            """{"provisioner":"b.example.com","parameters":{"type":"hdd"},"reclaimPolicy":"Retain","volumeBindingMode":"WaitForFirstConsumer","allowVolumeExpansion":true}""",
            ["FieldValueForbidden|parameters: Forbidden: updates to parameters are forbidden.",
             "FieldValueForbidden|provisioner: Forbidden: updates to provisioner are forbidden.",
             "FieldValueForbidden|reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
             "FieldValueInvalid|volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": " + Immutable] },
        { "StorageClass defaults", "storage.k8s.io", "StorageClass", """{"provisioner":"a.example.com"}""", """{"reclaimPolicy":"Delete","volumeBindingMode":"Immediate"}""", [] },
        { "PriorityClass value and preemptionPolicy", "scheduling.k8s.io", "PriorityClass", """{"value":100,"preemptionPolicy":"PreemptLowerPriority"}""",
            """{"value":200,"preemptionPolicy":"Never","description":"changed"}""",
            ["FieldValueForbidden|value: Forbidden: may not be changed in an update.", "FieldValueInvalid|preemptionPolicy: Invalid value: \"Never\": " + Immutable] },
        { "EndpointSlice addressType", "discovery.k8s.io", "EndpointSlice", """{"addressType":"IPv4"}""", """{"addressType":"IPv6"}""",
            ["FieldValueInvalid|addressType: Invalid value: \"IPv6\": " + Immutable] },
        { "IngressClass controller", "networking.k8s.io", "IngressClass", """{"spec":{"controller":"example.com/a"}}""", """{"spec":{"controller":"example.com/b"}}""",
            ["FieldValueInvalid|spec.controller: Invalid value: \"example.com/b\": " + Immutable] },
        { "PodDisruptionBudget selector changes freely (1.15+)", "policy", "PodDisruptionBudget", """{"spec":{"selector":{"matchLabels":{"a":"b"}}}}""", """{"spec":{"selector":{"matchLabels":{"a":"c"}}}}""", [] },
    };

    [Theory]
    [MemberData(nameof(Update_TestData))]
    public void Validate_Update_ReportsWhatKubeApiserverDoes(string caseName, string group, string kind, string old, string patch, string[] expected)
    {
        Assert.NotNull(caseName);
        var stored = JsonNode.Parse(old)!.AsObject();
        var updated = (JsonObject)GitOps.Sandbox.Tests.Conformance.Conform.MergePatch(stored.DeepClone(), JsonNode.Parse(patch)!);

        var causes = UpdateValidation.Validate(group, kind, updated, stored, []);

        var actual = causes.Select(c => $"{c.Reason}|{c}").ToList();
        Assert.True(expected.Length == actual.Count, string.Join("\n", actual));
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].EndsWith("{...: " + Immutable, StringComparison.Ordinal))
            {
                Assert.StartsWith(expected[i][..expected[i].IndexOf("...", StringComparison.Ordinal)], actual[i], StringComparison.Ordinal);
                Assert.EndsWith("}: " + Immutable, actual[i], StringComparison.Ordinal);
            }
            else Assert.Equal(expected[i], actual[i]);
        }
    }

    public static TheoryData<string, string, string[]> Order_TestData() => new()
    {
        { "Deployment: new object's causes, then selector", "Deployment", ["spec.replicas", "spec.selector"] },
        { "ReplicaSet: spec causes again before the selector", "ReplicaSet", ["metadata.name", "spec.replicas", "spec.replicas", "spec.selector"] },
        { "Job: spec causes again before the selector", "Job", ["metadata.name", "spec.replicas", "spec.replicas", "spec.selector"] },
    };

    [Theory]
    [MemberData(nameof(Order_TestData))]
    public void Validate_UpdateOfInvalidObject_OrdersCausesAsTheStrategy(string caseName, string kind, string[] fields)
    {
        Assert.NotNull(caseName);
        var old = JsonNode.Parse("""{"spec":{"selector":{"matchLabels":{"a":"b"}}}}""")!.AsObject();
        var updated = JsonNode.Parse("""{"spec":{"selector":{"matchLabels":{"a":"c"}}}}""")!.AsObject();
        List<StatusCause> objectCauses = kind == "Deployment"
            ? [new("FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0", "spec.replicas")]
            : [new("FieldValueInvalid", "Invalid value: \"X\": bad", "metadata.name"), new("FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0", "spec.replicas")];

        var causes = UpdateValidation.Validate(kind == "Job" ? "batch" : "apps", kind, updated, old, objectCauses);

        Assert.Equal(fields, causes.Select(c => c.Field));
    }
}
