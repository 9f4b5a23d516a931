namespace GitOps.Operator.Cluster.Remote;

/// <summary>
/// How a registered cluster is stored (by <c>gitops cluster add</c>, like <c>argocd cluster add</c>): a
/// Secret <c>gitops-cluster-NAME</c> in the operator's namespace, labelled <c>gitops.dev/cluster: NAME</c>,
/// its kubeconfig under <c>value</c>; an optional <c>gitops.dev/shard</c> label puts its Applications on one shard.
/// </summary>
public static class ClusterRegistration
{
    public const string NameLabel = "gitops.dev/cluster";
    public const string ShardLabel = "gitops.dev/shard";
    public const string SecretPrefix = "gitops-cluster-";

    public static string SecretNameOf(string clusterName) => SecretPrefix + clusterName;

    /// <summary>A cluster name is a DNS label (it becomes a Secret name and a label value); null when valid, else why not.</summary>
    public static string? NameError(string name)
    {
        if (string.IsNullOrEmpty(name)) return "a cluster name is required";
        if (name == ClusterRef.InClusterName) return $"\"{ClusterRef.InClusterName}\" names the operator's own cluster and cannot be registered";
        if (name.Length > 63 - SecretPrefix.Length) return $"cluster name \"{name}\" is longer than {63 - SecretPrefix.Length} characters";
        var valid = name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') && name[0] != '-' && name[^1] != '-';
        return valid ? null : $"cluster name \"{name}\" must be lowercase letters, digits and '-', starting and ending with a letter or digit";
    }
}
