namespace GitOps.Engine.Plan;

/// <summary>
/// The single table of kind ranks used to order applies inside a wave: what others depend on comes
/// first (Namespace, CRD, identity and RBAC, configuration, storage, Service, workloads, Ingress);
/// webhook configurations come late so a webhook is not registered before its backend runs.
/// A kind not in the table ranks after every kind in it.
/// </summary>
public static class KindOrder
{
    private static readonly string[] s_order =
    [
        "Namespace",
        "NetworkPolicy",
        "ResourceQuota",
        "LimitRange",
        "PodSecurityPolicy",
        "PodDisruptionBudget",
        "CustomResourceDefinition",
        "PriorityClass",
        "ServiceAccount",
        "ClusterRole",
        "Role",
        "ClusterRoleBinding",
        "RoleBinding",
        "ConfigMap",
        "Secret",
        "StorageClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Service",
        "Endpoints",
        "DaemonSet",
        "Pod",
        "ReplicationController",
        "ReplicaSet",
        "Deployment",
        "StatefulSet",
        "Job",
        "CronJob",
        "HorizontalPodAutoscaler",
        "IngressClass",
        "Ingress",
        "APIService",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ];

    private static readonly Dictionary<string, int> s_rank =
        s_order.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);

    /// <summary>The rank used for kinds not in the table: after all of them.</summary>
    public static int UnknownRank => s_order.Length;

    public static int Rank(string kind) => s_rank.TryGetValue(kind, out var r) ? r : UnknownRank;
}
