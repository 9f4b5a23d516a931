namespace GitOps.Operator.Cluster.Remote;

/// <summary>How an Application names the cluster its objects live in.</summary>
public enum ClusterRefKind
{
    /// <summary>The cluster the operator runs in (no destination cluster, or clusterName in-cluster).</summary>
    InCluster,
    /// <summary>destination.clusterName: a cluster registered with <c>gitops cluster add</c> (a labelled Secret in the operator's namespace).</summary>
    Registered,
    /// <summary>destination.cluster.secretRef: a kubeconfig in a Secret of the Application's own namespace (Flux's kubeConfig.secretRef, Cluster API's &lt;cluster&gt;-kubeconfig).</summary>
    Secret,
}

/// <summary>
/// The destination cluster of an Application: which one, and where its kubeconfig lives. Two
/// Applications share a connection only when their refs are equal (the same Secret of the same namespace).
/// </summary>
public sealed record ClusterRef(ClusterRefKind Kind, string SecretNamespace, string SecretName, string Key)
{
    public const string InClusterName = "in-cluster";

    /// <summary>The key of a kubeconfig Secret when none is given: Flux's and Cluster API's.</summary>
    public const string DefaultKey = "value";

    public static ClusterRef InCluster { get; } = new(ClusterRefKind.InCluster, "", "", "");

    public bool IsInCluster => Kind == ClusterRefKind.InCluster;

    /// <summary>The registered cluster's name (what a Project's destinations[].name bounds); null for the others.</summary>
    public string? RegisteredName => Kind == ClusterRefKind.Registered ? Name : null;

    /// <summary>The registered cluster's name, or the Secret's name: what the ClusterConnected condition, metrics and alerts show.</summary>
    public string Name { get; init; } = InClusterName;

    public static ClusterRef Registered(string name, string operatorNamespace) =>
        new(ClusterRefKind.Registered, operatorNamespace, ClusterRegistration.SecretNameOf(name), DefaultKey) { Name = name };

    public static ClusterRef FromSecret(string appNamespace, string secretName, string? key) =>
        new(ClusterRefKind.Secret, appNamespace, secretName, string.IsNullOrEmpty(key) ? DefaultKey : key) { Name = $"{appNamespace}/{secretName}" };

    /// <summary>
    /// The cluster label of an Application's metrics, read from its spec without failing: the registered name,
    /// namespace/secret for a kubeconfig Secret, else in-cluster.
    /// </summary>
    public static string LabelOf(Applications.Application app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var destination = app.Spec.Destination;
        if (destination.ClusterName.Length > 0) return destination.ClusterName;
        return destination.Cluster?.SecretRef?.Name is { Length: > 0 } secret ? $"{app.Namespace}/{secret}" : InClusterName;
    }

    public override string ToString() => Kind switch
    {
        ClusterRefKind.InCluster => InClusterName,
        ClusterRefKind.Registered => $"cluster {Name}",
        _ => $"the cluster of Secret {SecretNamespace}/{SecretName} (key {Key})",
    };
}
