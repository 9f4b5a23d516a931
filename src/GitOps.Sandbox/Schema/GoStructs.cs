namespace GitOps.Sandbox.Schema;

/// <summary>
/// The Go struct layouts (k8s.io/api v0.26 and apiextensions-apiserver json tags) of the parts of
/// built-in objects where encoding/json's rules show in kube-apiserver's answers: the status of
/// every kind the sandbox serves with a status, the pod and job templates nested in workloads, and
/// a CRD's names. Only the fields listed are encoded (<see cref="GoEncoding"/>); a struct's other
/// fields are left as they are written.
/// </summary>
/// <remarks>
/// One line per struct: <c>Name: field type[,omitempty]; ...</c>. Types are <c>int</c>,
/// <c>string</c>, <c>bool</c> (value types: zero is 0, "" or false), <c>Time</c> (a non-pointer
/// metav1.Time or MicroTime: zero is written <c>null</c>), <c>*</c> or <c>*Struct</c> (a pointer,
/// absent when nil), <c>[]</c> or <c>[]Struct</c> (a slice, <c>null</c> when nil), <c>map</c>, and
/// a struct name (a non-pointer struct: always written, <c>{}</c> when empty, omitempty or not).
/// </remarks>
internal static class GoStructs
{
    private const string Layouts = """
        ObjectMeta: creationTimestamp Time
        Condition: type string; status string; observedGeneration int,omitempty; lastTransitionTime Time; reason string; message string
        PodTemplateSpec: metadata ObjectMeta,omitempty; spec PodSpec,omitempty
        PodSpec:

        core/Event: involvedObject ObjectReference; reason string,omitempty; message string,omitempty; source EventSource,omitempty; firstTimestamp Time,omitempty; lastTimestamp Time,omitempty; count int,omitempty; type string,omitempty; eventTime Time,omitempty; series *CoreEventSeries; action string,omitempty; related *; reportingComponent string; reportingInstance string
        CoreEventSeries: count int,omitempty; lastObservedTime Time,omitempty
        ObjectReference:
        EventSource: component string,omitempty; host string,omitempty
        events.k8s.io/Event: eventTime Time; series *EventSeries; reportingController string,omitempty; reportingInstance string,omitempty; action string,omitempty; reason string,omitempty; regarding ObjectReference,omitempty; related *; note string,omitempty; type string,omitempty; deprecatedSource EventSource,omitempty; deprecatedFirstTimestamp Time,omitempty; deprecatedLastTimestamp Time,omitempty; deprecatedCount int,omitempty
        EventSeries: count int; lastObservedTime Time

        core/Pod: status PodStatus,omitempty
        PodStatus: phase string,omitempty; conditions []PodCondition,omitempty; message string,omitempty; reason string,omitempty; nominatedNodeName string,omitempty; hostIP string,omitempty; podIP string,omitempty; podIPs [],omitempty; startTime *; initContainerStatuses [],omitempty; containerStatuses [],omitempty; qosClass string,omitempty; ephemeralContainerStatuses [],omitempty
        PodCondition: type string; status string; lastProbeTime Time,omitempty; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        core/PodTemplate: template PodTemplateSpec,omitempty
        core/ReplicationController: spec ReplicationControllerSpec,omitempty; status ReplicationControllerStatus,omitempty
        ReplicationControllerSpec: template *PodTemplateSpec
        ReplicationControllerStatus: replicas int; fullyLabeledReplicas int,omitempty; readyReplicas int,omitempty; availableReplicas int,omitempty; observedGeneration int,omitempty; conditions []ReplicationControllerCondition,omitempty
        ReplicationControllerCondition: type string; status string; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        core/Service: status ServiceStatus,omitempty
        ServiceStatus: loadBalancer LoadBalancerStatus,omitempty; conditions []Condition,omitempty
        LoadBalancerStatus: ingress []LoadBalancerIngress,omitempty
        LoadBalancerIngress: ip string,omitempty; hostname string,omitempty; ports []PortStatus,omitempty
        PortStatus: port int; protocol string; error *
        core/Namespace: status NamespaceStatus,omitempty
        NamespaceStatus: phase string,omitempty; conditions []NamespaceCondition,omitempty
        NamespaceCondition: type string; status string; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        core/PersistentVolumeClaim: status PersistentVolumeClaimStatus,omitempty
        PersistentVolumeClaim: metadata ObjectMeta,omitempty; spec PersistentVolumeClaimSpec,omitempty; status PersistentVolumeClaimStatus,omitempty
        PersistentVolumeClaimSpec:
        PersistentVolumeClaimStatus: phase string,omitempty; accessModes [],omitempty; capacity map,omitempty; conditions []PersistentVolumeClaimCondition,omitempty; allocatedResources map,omitempty; resizeStatus *
        PersistentVolumeClaimCondition: type string; status string; lastProbeTime Time,omitempty; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        core/PersistentVolume: status PersistentVolumeStatus,omitempty
        PersistentVolumeStatus: phase string,omitempty; message string,omitempty; reason string,omitempty
        core/ResourceQuota: status ResourceQuotaStatus,omitempty
        ResourceQuotaStatus: hard map,omitempty; used map,omitempty
        core/Node: status NodeStatus,omitempty
        NodeStatus: capacity map,omitempty; allocatable map,omitempty; phase string,omitempty; conditions []NodeCondition,omitempty; addresses [],omitempty; daemonEndpoints NodeDaemonEndpoints,omitempty; nodeInfo NodeSystemInfo,omitempty; images [],omitempty; volumesInUse [],omitempty; volumesAttached [],omitempty; config *
        NodeCondition: type string; status string; lastHeartbeatTime Time,omitempty; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        NodeDaemonEndpoints: kubeletEndpoint DaemonEndpoint,omitempty
        DaemonEndpoint: Port int
        NodeSystemInfo: machineID string; systemUUID string; bootID string; kernelVersion string; osImage string; containerRuntimeVersion string; kubeletVersion string; kubeProxyVersion string; operatingSystem string; architecture string

        apps/Deployment: spec DeploymentSpec,omitempty; status DeploymentStatus,omitempty
        DeploymentSpec: template PodTemplateSpec
        DeploymentStatus: observedGeneration int,omitempty; replicas int,omitempty; updatedReplicas int,omitempty; readyReplicas int,omitempty; availableReplicas int,omitempty; unavailableReplicas int,omitempty; conditions []DeploymentCondition,omitempty; collisionCount *
        DeploymentCondition: type string; status string; lastUpdateTime Time,omitempty; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        apps/StatefulSet: spec StatefulSetSpec,omitempty; status StatefulSetStatus,omitempty
        StatefulSetSpec: template PodTemplateSpec; volumeClaimTemplates []PersistentVolumeClaim,omitempty
        StatefulSetStatus: observedGeneration int,omitempty; replicas int; readyReplicas int,omitempty; currentReplicas int,omitempty; updatedReplicas int,omitempty; currentRevision string,omitempty; updateRevision string,omitempty; collisionCount *; conditions []StatefulSetCondition,omitempty; availableReplicas int
        StatefulSetCondition: type string; status string; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        apps/DaemonSet: spec DaemonSetSpec,omitempty; status DaemonSetStatus,omitempty
        DaemonSetSpec: template PodTemplateSpec
        DaemonSetStatus: currentNumberScheduled int; numberMisscheduled int; desiredNumberScheduled int; numberReady int; observedGeneration int,omitempty; updatedNumberScheduled int,omitempty; numberAvailable int,omitempty; numberUnavailable int,omitempty; collisionCount *; conditions []DaemonSetCondition,omitempty
        DaemonSetCondition: type string; status string; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        apps/ReplicaSet: spec ReplicaSetSpec,omitempty; status ReplicaSetStatus,omitempty
        ReplicaSetSpec: template PodTemplateSpec,omitempty
        ReplicaSetStatus: replicas int; fullyLabeledReplicas int,omitempty; readyReplicas int,omitempty; availableReplicas int,omitempty; observedGeneration int,omitempty; conditions []ReplicaSetCondition,omitempty
        ReplicaSetCondition: type string; status string; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty

        batch/Job: spec JobSpec,omitempty; status JobStatus,omitempty
        JobSpec: template PodTemplateSpec
        JobStatus: conditions []JobCondition,omitempty; startTime *; completionTime *; active int,omitempty; succeeded int,omitempty; failed int,omitempty; completedIndexes string,omitempty; uncountedTerminatedPods *UncountedTerminatedPods; ready *
        UncountedTerminatedPods: succeeded [],omitempty; failed [],omitempty
        JobCondition: type string; status string; lastProbeTime Time,omitempty; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        batch/CronJob: spec CronJobSpec,omitempty; status CronJobStatus,omitempty
        CronJobSpec: jobTemplate JobTemplateSpec
        JobTemplateSpec: metadata ObjectMeta,omitempty; spec JobSpec,omitempty
        CronJobStatus: active [],omitempty; lastScheduleTime *; lastSuccessfulTime *

        autoscaling/v2/HorizontalPodAutoscaler: spec HorizontalPodAutoscalerSpec,omitempty; status HorizontalPodAutoscalerStatusV2,omitempty
        HorizontalPodAutoscalerSpec: scaleTargetRef CrossVersionObjectReference
        CrossVersionObjectReference: kind string; name string; apiVersion string,omitempty
        HorizontalPodAutoscalerStatusV2: observedGeneration *; lastScaleTime *; currentReplicas int,omitempty; desiredReplicas int; currentMetrics []; conditions []HorizontalPodAutoscalerCondition,omitempty
        HorizontalPodAutoscalerCondition: type string; status string; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        autoscaling/v1/HorizontalPodAutoscaler: spec HorizontalPodAutoscalerSpec,omitempty; status HorizontalPodAutoscalerStatusV1,omitempty
        HorizontalPodAutoscalerStatusV1: observedGeneration *; lastScaleTime *; currentReplicas int; desiredReplicas int; currentCPUUtilizationPercentage *

        policy/PodDisruptionBudget: status PodDisruptionBudgetStatus,omitempty
        PodDisruptionBudgetStatus: observedGeneration int,omitempty; disruptedPods map,omitempty; disruptionsAllowed int; currentHealthy int; desiredHealthy int; expectedPods int; conditions []Condition,omitempty
        networking.k8s.io/NetworkPolicy: spec NetworkPolicySpec,omitempty; status NetworkPolicyStatus,omitempty
        NetworkPolicySpec: podSelector LabelSelector
        LabelSelector:
        NetworkPolicyStatus: conditions []Condition,omitempty
        networking.k8s.io/Ingress: status IngressStatus,omitempty
        IngressStatus: loadBalancer IngressLoadBalancerStatus,omitempty
        IngressLoadBalancerStatus: ingress []IngressLoadBalancerIngress,omitempty
        IngressLoadBalancerIngress: ip string,omitempty; hostname string,omitempty; ports []PortStatus,omitempty

        apiextensions.k8s.io/CustomResourceDefinition: spec CustomResourceDefinitionSpec,omitempty; status CustomResourceDefinitionStatus,omitempty
        CustomResourceDefinitionSpec: names CustomResourceDefinitionNames
        CustomResourceDefinitionNames: plural string; singular string,omitempty; shortNames [],omitempty; kind string; listKind string,omitempty; categories [],omitempty
        CustomResourceDefinitionStatus: conditions []CustomResourceDefinitionCondition; acceptedNames CustomResourceDefinitionNames; storedVersions []
        CustomResourceDefinitionCondition: type string; status string; lastTransitionTime Time,omitempty; reason string,omitempty; message string,omitempty
        """;

    public enum FieldKind { Int, String, Bool, Time, Struct, Pointer, Slice, Map }

    /// <summary>One field of a Go struct: its JSON name, kind, omitempty, and the struct type of a struct, pointer or slice element.</summary>
    public sealed record Field(string Name, FieldKind Kind, bool OmitEmpty, string? Type);

    public sealed record Struct(string Name, IReadOnlyList<Field> Fields);

    private static readonly Dictionary<string, Struct> Structs = Parse(Layouts);

    /// <summary>The layout of a kind's object (<c>apps/Deployment</c>, or by version <c>autoscaling/v2/HorizontalPodAutoscaler</c>); null when none is listed.</summary>
    public static Struct? Root(string group, string version, string kind)
    {
        var g = group.Length == 0 ? "core" : group;
        return Find($"{g}/{version}/{kind}") ?? Find($"{g}/{kind}");
    }

    public static Struct? Find(string? name) => name is not null && Structs.TryGetValue(name, out var s) ? s : null;

    private static Dictionary<string, Struct> Parse(string text)
    {
        var result = new Dictionary<string, Struct>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var colon = line.IndexOf(": ", StringComparison.Ordinal) is var c and >= 0 ? c : line.Length - 1;
            var name = line[..colon].TrimEnd(':');
            var fields = new List<Field>();
            foreach (var part in line[(colon + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var words = part.Split(' ', 2);
                var type = words[1];
                var omitEmpty = type.EndsWith(",omitempty", StringComparison.Ordinal);
                if (omitEmpty) type = type[..^",omitempty".Length];
                fields.Add(type switch
                {
                    "int" => new Field(words[0], FieldKind.Int, omitEmpty, null),
                    "string" => new Field(words[0], FieldKind.String, omitEmpty, null),
                    "bool" => new Field(words[0], FieldKind.Bool, omitEmpty, null),
                    "Time" => new Field(words[0], FieldKind.Time, omitEmpty, null),
                    "map" => new Field(words[0], FieldKind.Map, omitEmpty, null),
                    _ when type.StartsWith('*') => new Field(words[0], FieldKind.Pointer, omitEmpty, type.Length > 1 ? type[1..] : null),
                    _ when type.StartsWith("[]", StringComparison.Ordinal) => new Field(words[0], FieldKind.Slice, omitEmpty, type.Length > 2 ? type[2..] : null),
                    _ => new Field(words[0], FieldKind.Struct, omitEmpty, type),
                });
            }
            result[name] = new Struct(name, fields);
        }
        return result;
    }
}
