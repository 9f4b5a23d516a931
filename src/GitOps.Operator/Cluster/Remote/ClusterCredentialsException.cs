namespace GitOps.Operator.Cluster.Remote;

/// <summary>
/// A destination cluster the operator cannot use: its Secret is missing or unreadable, its kubeconfig
/// is refused, or it does not answer. The message names the Secret and the problem, never the kubeconfig's content.
/// </summary>
/// <param name="Reason">ClusterSecretMissing, KubeconfigInvalid, KubeconfigRefused or ClusterUnreachable.</param>
/// <param name="Transient">It may pass by itself (an unreachable cluster): retried with backoff.</param>
public sealed class ClusterCredentialsException(string reason, string message, bool transient = false) : Exception(message)
{
    public string Reason { get; } = reason;
    public bool Transient { get; } = transient;
}
