namespace GitOps.Sandbox.Protobuf;

/// <summary>
/// Field tables of the Kubernetes protobuf messages that clients send as request bodies
/// (field numbers from k8s.io/api and k8s.io/apimachinery generated.proto). Coverage is partial
/// for rarely sent fields; fields missing here are skipped when decoding.
/// </summary>
internal static class KubeSchema
{
    /// <summary>Top-level kinds (apiVersion, kind) → their message table. DeleteOptions is matched by kind alone.</summary>
    public static readonly IReadOnlyDictionary<(string ApiVersion, string Kind), string> Kinds = new Dictionary<(string, string), string>
    {
        [("v1", "Secret")] = "core.Secret",
        [("v1", "ConfigMap")] = "core.ConfigMap",
        [("v1", "Namespace")] = "core.Namespace",
        [("v1", "ServiceAccount")] = "core.ServiceAccount",
        [("v1", "Service")] = "core.Service",
        [("v1", "Pod")] = "core.Pod",
        [("v1", "Event")] = "core.Event",
        [("apps/v1", "Deployment")] = "apps.Deployment",
        [("batch/v1", "Job")] = "batch.Job",
        [("batch/v1", "CronJob")] = "batch.CronJob",
        [("events.k8s.io/v1", "Event")] = "events.Event",
        [("coordination.k8s.io/v1", "Lease")] = "coordination.Lease",
        [("rbac.authorization.k8s.io/v1", "Role")] = "rbac.Role",
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = "rbac.ClusterRole",
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = "rbac.RoleBinding",
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = "rbac.RoleBinding",
        [("autoscaling/v1", "Scale")] = "autoscaling.Scale",
        [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = "authorization.SelfSubjectAccessReview",
        [("authorization.k8s.io/v1", "SubjectAccessReview")] = "authorization.SubjectAccessReview",
        [("authorization.k8s.io/v1", "LocalSubjectAccessReview")] = "authorization.SubjectAccessReview",
        [("authorization.k8s.io/v1", "SelfSubjectRulesReview")] = "authorization.SelfSubjectRulesReview",
        [("authentication.k8s.io/v1", "TokenReview")] = "authentication.TokenReview",
        [("authentication.k8s.io/v1", "SelfSubjectReview")] = "authentication.SelfSubjectReview",
    };

    public const string DeleteOptions = "meta.DeleteOptions";

    public static readonly IReadOnlyDictionary<string, ProtoField[]> Messages = new Dictionary<string, ProtoField[]>
    {
        // ---- meta/v1 ----------------------------------------------------------------------------
        ["meta.ObjectMeta"] =
        [
            S(1, "name"), S(2, "generateName"), S(3, "namespace"), S(4, "selfLink"), S(5, "uid"), S(6, "resourceVersion"),
            I64(7, "generation"), T(8, "creationTimestamp"), T(9, "deletionTimestamp"), I64p(10, "deletionGracePeriodSeconds"),
            Map(11, "labels"), Map(12, "annotations"), Ms(13, "ownerReferences", "meta.OwnerReference"), Ss(14, "finalizers"),
            Ms(17, "managedFields", "meta.ManagedFieldsEntry"),
        ],
        ["meta.OwnerReference"] = [S(1, "kind"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"), Bp(6, "controller"), Bp(7, "blockOwnerDeletion")],
        ["meta.ManagedFieldsEntry"] =
        [
            S(1, "manager"), S(2, "operation"), S(3, "apiVersion"), T(4, "time"), S(6, "fieldsType"),
            new(7, "fieldsV1", ProtoType.FieldsV1), S(8, "subresource"),
        ],
        ["meta.LabelSelector"] = [Map(1, "matchLabels"), Ms(2, "matchExpressions", "meta.LabelSelectorRequirement")],
        ["meta.LabelSelectorRequirement"] = [S(1, "key"), S(2, "operator"), Ss(3, "values")],
        ["meta.Condition"] = [S(1, "type"), S(2, "status"), I64(3, "observedGeneration"), T(4, "lastTransitionTime"), S(5, "reason"), S(6, "message")],
        ["meta.DeleteOptions"] =
        [
            I64p(1, "gracePeriodSeconds"), M(2, "preconditions", "meta.Preconditions"), Bp(3, "orphanDependents"),
            Sp(4, "propagationPolicy"), Ss(5, "dryRun"), Bp(6, "ignoreStoreReadErrorWithClusterBreakingPotential"),
        ],
        ["meta.Preconditions"] = [Sp(1, "uid"), Sp(2, "resourceVersion")],

        // ---- core/v1: the kinds ---------------------------------------------------------------
        ["core.Secret"] = [Meta, new(2, "data", ProtoType.BytesMap), S(3, "type"), Map(4, "stringData"), Bp(5, "immutable")],
        ["core.ConfigMap"] = [Meta, Map(2, "data"), new(3, "binaryData", ProtoType.BytesMap), Bp(4, "immutable")],
        ["core.Namespace"] = [Meta, M(2, "spec", "core.NamespaceSpec"), M(3, "status", "core.NamespaceStatus")],
        ["core.NamespaceSpec"] = [Ss(1, "finalizers")],
        ["core.NamespaceStatus"] = [S(1, "phase"), Ms(2, "conditions", "core.NamespaceCondition")],
        ["core.NamespaceCondition"] = [S(1, "type"), S(2, "status"), T(4, "lastTransitionTime"), S(5, "reason"), S(6, "message")],
        ["core.ServiceAccount"] =
        [
            Meta, Ms(2, "secrets", "core.ObjectReference"), Ms(3, "imagePullSecrets", "core.LocalObjectReference"),
            Bp(4, "automountServiceAccountToken"),
        ],
        ["core.ObjectReference"] =
            [S(1, "kind"), S(2, "namespace"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"), S(6, "resourceVersion"), S(7, "fieldPath")],
        ["core.LocalObjectReference"] = [S(1, "name")],
        ["core.Service"] = [Meta, M(2, "spec", "core.ServiceSpec"), M(3, "status", "core.ServiceStatus")],
        ["core.ServiceSpec"] =
        [
            Ms(1, "ports", "core.ServicePort"), Map(2, "selector"), S(3, "clusterIP"), S(4, "type"), Ss(5, "externalIPs"),
            S(7, "sessionAffinity"), S(8, "loadBalancerIP"), Ss(9, "loadBalancerSourceRanges"), S(10, "externalName"),
            S(11, "externalTrafficPolicy"), I32(12, "healthCheckNodePort"), B(13, "publishNotReadyAddresses"),
            M(14, "sessionAffinityConfig", "core.SessionAffinityConfig"), Sp(17, "ipFamilyPolicy"), Ss(18, "clusterIPs"),
            Ss(19, "ipFamilies"), Bp(20, "allocateLoadBalancerNodePorts"), Sp(21, "loadBalancerClass"),
            Sp(22, "internalTrafficPolicy"), Sp(23, "trafficDistribution"),
        ],
        ["core.ServicePort"] =
            [S(1, "name"), S(2, "protocol"), I32(3, "port"), new(4, "targetPort", ProtoType.IntOrString), I32(5, "nodePort"), Sp(6, "appProtocol")],
        ["core.SessionAffinityConfig"] = [M(1, "clientIP", "core.ClientIPConfig")],
        ["core.ClientIPConfig"] = [I32p(1, "timeoutSeconds")],
        ["core.ServiceStatus"] = [M(1, "loadBalancer", "core.LoadBalancerStatus"), Ms(2, "conditions", "meta.Condition")],
        ["core.LoadBalancerStatus"] = [Ms(1, "ingress", "core.LoadBalancerIngress")],
        ["core.LoadBalancerIngress"] = [S(1, "ip"), S(2, "hostname")],
        ["core.Pod"] = [Meta, M(2, "spec", "core.PodSpec"), M(3, "status", "core.PodStatus")],
        ["core.PodStatus"] = [S(1, "phase")],
        ["core.Event"] =
        [
            Meta, M(2, "involvedObject", "core.ObjectReference"), S(3, "reason"), S(4, "message"), M(5, "source", "core.EventSource"),
            T(6, "firstTimestamp"), T(7, "lastTimestamp"), I32(8, "count"), S(9, "type"), MT(10, "eventTime"),
            M(11, "series", "core.EventSeries"), S(12, "action"), M(13, "related", "core.ObjectReference"),
            S(14, "reportingComponent"), S(15, "reportingInstance"),
        ],
        ["core.EventSource"] = [S(1, "component"), S(2, "host")],
        ["core.EventSeries"] = [I32(1, "count"), MT(2, "lastObservedTime")],

        // ---- core/v1: pod templates (containers, volumes; partial) ----------------------------
        ["core.PodTemplateSpec"] = [Meta, M(2, "spec", "core.PodSpec")],
        ["core.PodSpec"] =
        [
            Ms(1, "volumes", "core.Volume"), Ms(2, "containers", "core.Container"), S(3, "restartPolicy"),
            I64p(4, "terminationGracePeriodSeconds"), I64p(5, "activeDeadlineSeconds"), S(6, "dnsPolicy"), Map(7, "nodeSelector"),
            S(8, "serviceAccountName"), S(9, "serviceAccount"), S(10, "nodeName"), B(11, "hostNetwork"), B(12, "hostPID"),
            B(13, "hostIPC"), M(14, "securityContext", "core.PodSecurityContext"), Ms(15, "imagePullSecrets", "core.LocalObjectReference"),
            S(16, "hostname"), S(17, "subdomain"), S(19, "schedulerName"), Ms(20, "initContainers", "core.Container"),
            Bp(21, "automountServiceAccountToken"), Ms(22, "tolerations", "core.Toleration"), S(24, "priorityClassName"),
            I32p(25, "priority"), Bp(27, "shareProcessNamespace"), Sp(29, "runtimeClassName"), Bp(30, "enableServiceLinks"),
            Sp(31, "preemptionPolicy"), Bp(35, "setHostnameAsFQDN"), Bp(37, "hostUsers"),
        ],
        ["core.PodSecurityContext"] =
        [
            I64p(2, "runAsUser"), Bp(3, "runAsNonRoot"), new(4, "supplementalGroups", ProtoType.Int64, Repeated: true),
            I64p(5, "fsGroup"), I64p(6, "runAsGroup"), Sp(9, "fsGroupChangePolicy"), M(10, "seccompProfile", "core.SeccompProfile"),
        ],
        ["core.SeccompProfile"] = [S(1, "type"), Sp(2, "localhostProfile")],
        ["core.Toleration"] = [S(1, "key"), S(2, "operator"), S(3, "value"), S(4, "effect"), I64p(5, "tolerationSeconds")],
        ["core.Container"] =
        [
            S(1, "name"), S(2, "image"), Ss(3, "command"), Ss(4, "args"), S(5, "workingDir"), Ms(6, "ports", "core.ContainerPort"),
            Ms(7, "env", "core.EnvVar"), M(8, "resources", "core.ResourceRequirements"), Ms(9, "volumeMounts", "core.VolumeMount"),
            M(10, "livenessProbe", "core.Probe"), M(11, "readinessProbe", "core.Probe"), S(13, "terminationMessagePath"),
            S(14, "imagePullPolicy"), M(15, "securityContext", "core.SecurityContext"), B(16, "stdin"), B(17, "stdinOnce"),
            B(18, "tty"), Ms(19, "envFrom", "core.EnvFromSource"), S(20, "terminationMessagePolicy"),
            M(22, "startupProbe", "core.Probe"), Sp(24, "restartPolicy"),
        ],
        ["core.ContainerPort"] = [S(1, "name"), I32(2, "hostPort"), I32(3, "containerPort"), S(4, "protocol"), S(5, "hostIP")],
        ["core.EnvVar"] = [S(1, "name"), S(2, "value"), M(3, "valueFrom", "core.EnvVarSource")],
        ["core.EnvVarSource"] =
        [
            M(1, "fieldRef", "core.ObjectFieldSelector"), M(2, "resourceFieldRef", "core.ResourceFieldSelector"),
            M(3, "configMapKeyRef", "core.KeySelector"), M(4, "secretKeyRef", "core.KeySelector"),
        ],
        ["core.ObjectFieldSelector"] = [S(1, "apiVersion"), S(2, "fieldPath")],
        ["core.ResourceFieldSelector"] = [S(1, "containerName"), S(2, "resource"), new(3, "divisor", ProtoType.Quantity)],
        ["core.KeySelector"] = [Inl(1, "core.LocalObjectReference"), S(2, "key"), Bp(3, "optional")],
        ["core.EnvFromSource"] =
            [S(1, "prefix"), M(2, "configMapRef", "core.EnvSource"), M(3, "secretRef", "core.EnvSource")],
        ["core.EnvSource"] = [Inl(1, "core.LocalObjectReference"), Bp(2, "optional")],
        ["core.ResourceRequirements"] =
        [
            new(1, "limits", ProtoType.QuantityMap), new(2, "requests", ProtoType.QuantityMap), Ms(3, "claims", "core.ResourceClaim"),
        ],
        ["core.ResourceClaim"] = [S(1, "name"), S(2, "request")],
        ["core.VolumeMount"] =
            [S(1, "name"), B(2, "readOnly"), S(3, "mountPath"), S(4, "subPath"), Sp(5, "mountPropagation"), S(6, "subPathExpr")],
        ["core.Probe"] =
        [
            Inl(1, "core.ProbeHandler"), I32(2, "initialDelaySeconds"), I32(3, "timeoutSeconds"), I32(4, "periodSeconds"),
            I32(5, "successThreshold"), I32(6, "failureThreshold"), I64p(7, "terminationGracePeriodSeconds"),
        ],
        ["core.ProbeHandler"] =
            [M(1, "exec", "core.ExecAction"), M(2, "httpGet", "core.HTTPGetAction"), M(3, "tcpSocket", "core.TCPSocketAction"), M(4, "grpc", "core.GRPCAction")],
        ["core.ExecAction"] = [Ss(1, "command")],
        ["core.HTTPGetAction"] =
            [S(1, "path"), new(2, "port", ProtoType.IntOrString), S(3, "host"), S(4, "scheme"), Ms(5, "httpHeaders", "core.HTTPHeader")],
        ["core.HTTPHeader"] = [S(1, "name"), S(2, "value")],
        ["core.TCPSocketAction"] = [new(1, "port", ProtoType.IntOrString), S(2, "host")],
        ["core.GRPCAction"] = [I32(1, "port"), Sp(2, "service")],
        ["core.SecurityContext"] =
        [
            M(1, "capabilities", "core.Capabilities"), Bp(2, "privileged"), I64p(4, "runAsUser"), Bp(5, "runAsNonRoot"),
            Bp(6, "readOnlyRootFilesystem"), Bp(7, "allowPrivilegeEscalation"), I64p(8, "runAsGroup"), Sp(9, "procMount"),
            M(11, "seccompProfile", "core.SeccompProfile"),
        ],
        ["core.Capabilities"] = [Ss(1, "add"), Ss(2, "drop")],
        ["core.Volume"] = [S(1, "name"), Inl(2, "core.VolumeSource")],
        ["core.VolumeSource"] =
        [
            M(1, "hostPath", "core.HostPathVolumeSource"), M(2, "emptyDir", "core.EmptyDirVolumeSource"),
            M(6, "secret", "core.SecretVolumeSource"), M(10, "persistentVolumeClaim", "core.PersistentVolumeClaimVolumeSource"),
            M(19, "configMap", "core.ConfigMapVolumeSource"),
        ],
        ["core.HostPathVolumeSource"] = [S(1, "path"), Sp(2, "type")],
        ["core.EmptyDirVolumeSource"] = [S(1, "medium"), new(2, "sizeLimit", ProtoType.Quantity)],
        ["core.SecretVolumeSource"] = [S(1, "secretName"), Ms(2, "items", "core.KeyToPath"), I32p(3, "defaultMode"), Bp(4, "optional")],
        ["core.ConfigMapVolumeSource"] =
            [Inl(1, "core.LocalObjectReference"), Ms(2, "items", "core.KeyToPath"), I32p(3, "defaultMode"), Bp(4, "optional")],
        ["core.KeyToPath"] = [S(1, "key"), S(2, "path"), I32p(3, "mode")],
        ["core.PersistentVolumeClaimVolumeSource"] = [S(1, "claimName"), B(2, "readOnly")],

        // ---- apps/v1 --------------------------------------------------------------------------
        ["apps.Deployment"] = [Meta, M(2, "spec", "apps.DeploymentSpec"), M(3, "status", "apps.DeploymentStatus")],
        ["apps.DeploymentSpec"] =
        [
            I32p(1, "replicas"), M(2, "selector", "meta.LabelSelector"), M(3, "template", "core.PodTemplateSpec"),
            M(4, "strategy", "apps.DeploymentStrategy"), I32(5, "minReadySeconds"), I32p(6, "revisionHistoryLimit"),
            B(7, "paused"), I32p(9, "progressDeadlineSeconds"),
        ],
        ["apps.DeploymentStrategy"] = [S(1, "type"), M(2, "rollingUpdate", "apps.RollingUpdateDeployment")],
        ["apps.RollingUpdateDeployment"] =
            [new(1, "maxUnavailable", ProtoType.IntOrString, Pointer: true), new(2, "maxSurge", ProtoType.IntOrString, Pointer: true)],
        ["apps.DeploymentStatus"] =
        [
            I64(1, "observedGeneration"), I32(2, "replicas"), I32(3, "updatedReplicas"), I32(4, "availableReplicas"),
            I32(5, "unavailableReplicas"), Ms(6, "conditions", "apps.DeploymentCondition"), I32(7, "readyReplicas"),
            I32p(8, "collisionCount"), I32p(9, "terminatingReplicas"),
        ],
        ["apps.DeploymentCondition"] =
            [S(1, "type"), S(2, "status"), S(4, "reason"), S(5, "message"), T(6, "lastUpdateTime"), T(7, "lastTransitionTime")],

        // ---- batch/v1 (spec only) -------------------------------------------------------------
        ["batch.Job"] = [Meta, M(2, "spec", "batch.JobSpec"), M(3, "status", "batch.JobStatus")],
        ["batch.JobSpec"] =
        [
            I32p(1, "parallelism"), I32p(2, "completions"), I64p(3, "activeDeadlineSeconds"), M(4, "selector", "meta.LabelSelector"),
            Bp(5, "manualSelector"), M(6, "template", "core.PodTemplateSpec"), I32p(7, "backoffLimit"),
            I32p(8, "ttlSecondsAfterFinished"), Sp(9, "completionMode"), Bp(10, "suspend"), I32p(12, "backoffLimitPerIndex"),
            I32p(13, "maxFailedIndexes"), Sp(14, "podReplacementPolicy"),
        ],
        ["batch.JobStatus"] = [],
        ["batch.CronJob"] = [Meta, M(2, "spec", "batch.CronJobSpec"), M(3, "status", "batch.CronJobStatus")],
        ["batch.CronJobSpec"] =
        [
            S(1, "schedule"), I64p(2, "startingDeadlineSeconds"), S(3, "concurrencyPolicy"), Bp(4, "suspend"),
            M(5, "jobTemplate", "batch.JobTemplateSpec"), I32p(6, "successfulJobsHistoryLimit"), I32p(7, "failedJobsHistoryLimit"),
            Sp(8, "timeZone"),
        ],
        ["batch.JobTemplateSpec"] = [Meta, M(2, "spec", "batch.JobSpec")],
        ["batch.CronJobStatus"] = [],

        // ---- events.k8s.io/v1, coordination.k8s.io/v1 ----------------------------------------
        ["events.Event"] =
        [
            Meta, MT(2, "eventTime"), M(3, "series", "events.EventSeries"), S(4, "reportingController"), S(5, "reportingInstance"),
            S(6, "action"), S(7, "reason"), M(8, "regarding", "core.ObjectReference"), M(9, "related", "core.ObjectReference"),
            S(10, "note"), S(11, "type"), M(12, "deprecatedSource", "core.EventSource"), T(13, "deprecatedFirstTimestamp"),
            T(14, "deprecatedLastTimestamp"), I32(15, "deprecatedCount"),
        ],
        ["events.EventSeries"] = [I32(1, "count"), MT(2, "lastObservedTime")],
        ["coordination.Lease"] = [Meta, M(2, "spec", "coordination.LeaseSpec")],
        ["coordination.LeaseSpec"] =
        [
            Sp(1, "holderIdentity"), I32p(2, "leaseDurationSeconds"), MT(3, "acquireTime"), MT(4, "renewTime"),
            I32p(5, "leaseTransitions"), Sp(6, "strategy"), Sp(7, "preferredHolder"),
        ],

        // ---- autoscaling/v1 Scale (the scale subresource); replicas is kept at 0 ----------------
        ["autoscaling.Scale"] = [Meta, M(2, "spec", "autoscaling.ScaleSpec"), M(3, "status", "autoscaling.ScaleStatus")],
        ["autoscaling.ScaleSpec"] = [I32p(1, "replicas")],
        ["autoscaling.ScaleStatus"] = [I32(1, "replicas"), S(2, "selector")],

        // ---- rbac.authorization.k8s.io/v1 -----------------------------------------------------
        ["rbac.Role"] = [Meta, Ms(2, "rules", "rbac.PolicyRule")],
        ["rbac.ClusterRole"] = [Meta, Ms(2, "rules", "rbac.PolicyRule"), M(3, "aggregationRule", "rbac.AggregationRule")],
        ["rbac.AggregationRule"] = [Ms(1, "clusterRoleSelectors", "meta.LabelSelector")],
        ["rbac.PolicyRule"] = [Ss(1, "verbs"), Ss(2, "apiGroups"), Ss(3, "resources"), Ss(4, "resourceNames"), Ss(5, "nonResourceURLs")],
        ["rbac.RoleBinding"] = [Meta, Ms(2, "subjects", "rbac.Subject"), M(3, "roleRef", "rbac.RoleRef")],
        ["rbac.Subject"] = [S(1, "kind"), S(2, "apiGroup"), S(3, "name"), S(4, "namespace")],
        ["rbac.RoleRef"] = [S(1, "apiGroup"), S(2, "kind"), S(3, "name")],

        // ---- authorization.k8s.io/v1 and authentication.k8s.io/v1 reviews (specs only: clients send no status;
        // a SubjectAccessReview's extra, a map of messages, is skipped) -----------------------------------
        ["authorization.SelfSubjectAccessReview"] = [Meta, M(2, "spec", "authorization.SelfSubjectAccessReviewSpec")],
        ["authorization.SelfSubjectAccessReviewSpec"] =
            [M(1, "resourceAttributes", "authorization.ResourceAttributes"), M(2, "nonResourceAttributes", "authorization.NonResourceAttributes")],
        ["authorization.SubjectAccessReview"] = [Meta, M(2, "spec", "authorization.SubjectAccessReviewSpec")],
        ["authorization.SubjectAccessReviewSpec"] =
        [
            M(1, "resourceAttributes", "authorization.ResourceAttributes"), M(2, "nonResourceAttributes", "authorization.NonResourceAttributes"),
            S(3, "user"), Ss(4, "groups"), S(6, "uid"),
        ],
        ["authorization.ResourceAttributes"] =
            [S(1, "namespace"), S(2, "verb"), S(3, "group"), S(4, "version"), S(5, "resource"), S(6, "subresource"), S(7, "name")],
        ["authorization.NonResourceAttributes"] = [S(1, "path"), S(2, "verb")],
        ["authorization.SelfSubjectRulesReview"] = [Meta, M(2, "spec", "authorization.SelfSubjectRulesReviewSpec")],
        ["authorization.SelfSubjectRulesReviewSpec"] = [S(1, "namespace")],
        ["authentication.TokenReview"] = [Meta, M(2, "spec", "authentication.TokenReviewSpec")],
        ["authentication.TokenReviewSpec"] = [S(1, "token"), Ss(2, "audiences")],
        ["authentication.SelfSubjectReview"] = [Meta],
    };

    private static ProtoField Meta => M(1, "metadata", "meta.ObjectMeta");
    private static ProtoField S(int n, string json) => new(n, json, ProtoType.String);
    private static ProtoField Sp(int n, string json) => new(n, json, ProtoType.String, Pointer: true);
    private static ProtoField Ss(int n, string json) => new(n, json, ProtoType.String, Repeated: true);
    private static ProtoField I32(int n, string json) => new(n, json, ProtoType.Int32);
    private static ProtoField I32p(int n, string json) => new(n, json, ProtoType.Int32, Pointer: true);
    private static ProtoField I64(int n, string json) => new(n, json, ProtoType.Int64);
    private static ProtoField I64p(int n, string json) => new(n, json, ProtoType.Int64, Pointer: true);
    private static ProtoField B(int n, string json) => new(n, json, ProtoType.Bool);
    private static ProtoField Bp(int n, string json) => new(n, json, ProtoType.Bool, Pointer: true);
    private static ProtoField T(int n, string json) => new(n, json, ProtoType.Time);
    private static ProtoField MT(int n, string json) => new(n, json, ProtoType.MicroTime);
    private static ProtoField Map(int n, string json) => new(n, json, ProtoType.StringMap);
    private static ProtoField M(int n, string json, string message) => new(n, json, ProtoType.Message, Message: message);
    private static ProtoField Ms(int n, string json, string message) => new(n, json, ProtoType.Message, Repeated: true, Message: message);
    private static ProtoField Inl(int n, string message) => new(n, "", ProtoType.Inline, Message: message);
}
