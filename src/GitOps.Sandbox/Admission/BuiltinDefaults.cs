using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// The defaults kube-apiserver fills in when it creates a built-in object: the scheme's
/// SetDefaults_* functions, the create strategies (Job selector, DaemonSet template generation,
/// Secret stringData) and the default admission plugins (ServiceAccount, DefaultTolerationSeconds,
/// Priority), and <see cref="PrepareForCreate"/> what is set after field management (Namespace
/// finalizer, Service allocation, StorageObjectInUseProtection). Server state (cluster IPs, node
/// ports, uids) comes from <see cref="IAllocator"/>. Serialization artefacts (<c>creationTimestamp: null</c> in templates,
/// zero-valued status fields) are not added.
/// </summary>
public static class BuiltinDefaults
{
    private static readonly SequentialAllocator Fallback = new();

    /// <summary>
    /// Defaults <paramref name="obj"/> in place for a create. Call it after metadata.name and
    /// metadata.uid are set (a Job's selector uses the uid; one is allocated when absent).
    /// </summary>
    public static void Apply(string group, string kind, JsonObject obj, IAllocator? allocator = null)
    {
        allocator ??= Fallback;
        switch (group, kind)
        {
            case ("", "Pod"): PodDefaults.ApplyPod(obj, allocator); break;
            case ("", "PodTemplate"): if (Json.Obj(obj, "template") is { } t) PodDefaults.ApplyTemplate(t); break;
            case ("", "ReplicationController"): WorkloadDefaults.ReplicationController(obj); break;
            case ("", "Service"): ServiceDefaults.Apply(obj); break;
            case ("", "Secret"): CoreDefaults.Secret(obj); break;
            case ("", "PersistentVolumeClaim"): CoreDefaults.PersistentVolumeClaim(obj); break;
            case ("", "PersistentVolume"): CoreDefaults.PersistentVolume(obj); break;
            case ("", "Namespace"): CoreDefaults.Namespace(obj); break;
            case ("", "Event"): CoreDefaults.Event(obj); break;
            case ("", "Endpoints"): CoreDefaults.Endpoints(obj); break;
            case ("apps", "Deployment"): WorkloadDefaults.Deployment(obj); break;
            case ("apps", "StatefulSet"): WorkloadDefaults.StatefulSet(obj); break;
            case ("apps", "DaemonSet"): WorkloadDefaults.DaemonSet(obj); break;
            case ("apps", "ReplicaSet"): WorkloadDefaults.ReplicaSet(obj); break;
            case ("batch", "Job"): BatchDefaults.Job(obj, allocator); break;
            case ("batch", "CronJob"): BatchDefaults.CronJob(obj); break;
            case ("networking.k8s.io", "NetworkPolicy"): NetworkingDefaults.NetworkPolicy(obj); break;
            case ("networking.k8s.io", "Ingress"): NetworkingDefaults.Ingress(obj); break;
            case ("autoscaling", "HorizontalPodAutoscaler"): AutoscalingDefaults.HorizontalPodAutoscaler(obj); break;
            case ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding"): RbacDefaults.Binding(obj); break;
            case ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration"):
                WebhookDefaults.Configuration(obj, mutating: kind == "MutatingWebhookConfiguration"); break;
        }
    }

    /// <summary>
    /// What a create strategy, the registry and the admission plugins set after field management
    /// has recorded the request (so that no manager owns it): a Namespace's "kubernetes" finalizer,
    /// a Service's cluster IPs, IP families and node ports, a claim's pvc-protection finalizer.
    /// </summary>
    public static void PrepareForCreate(string group, string kind, JsonObject obj, IAllocator? allocator = null)
    {
        allocator ??= Fallback;
        switch (group, kind)
        {
            case ("", "Namespace"): CoreDefaults.NamespaceFinalizer(obj); break;
            case ("", "Service"): ServiceDefaults.Allocate(obj, allocator); break;
            case ("", "PersistentVolumeClaim"): CoreDefaults.PersistentVolumeClaimProtection(obj); break;
        }
    }
}
