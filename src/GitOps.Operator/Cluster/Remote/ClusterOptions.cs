namespace GitOps.Operator.Cluster.Remote;

/// <summary>How the operator reaches destination clusters other than its own.</summary>
/// <param name="Namespace">Where registered clusters' Secrets live: the operator's own namespace.</param>
/// <param name="AllowExec">Accept kubeconfigs with exec credential plugins (--allow-kubeconfig-exec); refused by default.</param>
/// <param name="CredentialsTtl">How long a kubeconfig read from its Secret is used before it is read again.</param>
public sealed record ClusterOptions(string Namespace, bool AllowExec, TimeSpan CredentialsTtl)
{
    public static ClusterOptions Default { get; } = new("default", false, TimeSpan.FromSeconds(30));
}
