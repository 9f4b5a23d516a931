using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.KubeConfigModels;

namespace GitOps.Operator.Cluster.Remote;

/// <summary>A kubeconfig accepted for a destination cluster: the client configuration, the server it names, and a digest of its text.</summary>
public sealed record Kubeconfig(KubernetesClientConfiguration Config, string Server, string Digest);

/// <summary>
/// Reads a destination cluster's kubeconfig from a Secret's text, refusing what would let a tenant's
/// kubeconfig act on the operator's own machine: exec plugins (unless the operator allows them) and
/// auth providers run commands in the operator's container; file references (certificate-authority,
/// client-certificate, client-key) read its filesystem, where its own service account token lives.
/// Errors say what is wrong and where, never what the kubeconfig holds.
/// </summary>
public static class KubeconfigReader
{
    public static Kubeconfig Read(string text, string? context, bool allowExec, string shown)
    {
        K8SConfiguration parsed;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            parsed = KubernetesClientConfiguration.LoadKubeConfig(stream);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException or FormatException)
        {
            var at = e is YamlDotNet.Core.YamlException y ? $" (line {y.Start.Line})" : "";
            throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown} does not hold a readable kubeconfig{at}");
        }
        if (parsed is null) throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown} holds an empty kubeconfig");
        var contextName = string.IsNullOrEmpty(context) ? parsed.CurrentContext : context;
        if (string.IsNullOrEmpty(contextName))
            throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown}: the kubeconfig has no current-context and none was named");
        var ctx = parsed.Contexts?.FirstOrDefault(c => c.Name == contextName)
            ?? throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown}: the kubeconfig has no context \"{contextName}\"");
        var cluster = parsed.Clusters?.FirstOrDefault(c => c.Name == ctx.ContextDetails?.Cluster)?.ClusterEndpoint
            ?? throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown}: context \"{contextName}\" names no cluster of the kubeconfig");
        var user = parsed.Users?.FirstOrDefault(u => u.Name == ctx.ContextDetails?.User)?.UserCredentials;
        if (string.IsNullOrEmpty(cluster.Server) || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
            throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown}: the cluster of context \"{contextName}\" has no http(s) server address");
        if (Refusal(cluster, user, allowExec) is { } refusal)
            throw new ClusterCredentialsException("KubeconfigRefused", $"{shown}: {refusal}");
        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigObject(parsed, contextName);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new ClusterCredentialsException("KubeconfigInvalid", $"{shown}: the kubeconfig's context \"{contextName}\" cannot be used ({e.GetType().Name})");
        }
        return new Kubeconfig(config, server.GetLeftPart(UriPartial.Path).TrimEnd('/'), Digest(text, contextName));
    }

    /// <summary>Why the kubeconfig is refused; null when it may be used.</summary>
    internal static string? Refusal(ClusterEndpoint cluster, UserCredentials? user, bool allowExec)
    {
        if (!string.IsNullOrEmpty(cluster.CertificateAuthority))
            return "certificate-authority names a file; only embedded data is accepted (certificate-authority-data; kubectl config view --flatten)";
        if (user is null) return null;
        if (!string.IsNullOrEmpty(user.ClientCertificate) || !string.IsNullOrEmpty(user.ClientKey))
            return "client-certificate/client-key name files; only embedded data is accepted (client-certificate-data, client-key-data; kubectl config view --flatten)";
        if (user.AuthProvider is not null)
            return $"auth-provider \"{user.AuthProvider.Name}\" is refused: it runs commands in the operator's container; use a token or a client certificate";
        if (user.ExternalExecution is not null && !allowExec)
            return "exec credential plugins are refused (they run a command in the operator's container; allow them with --allow-kubeconfig-exec); use a token or a client certificate";
        return null;
    }

    private static string Digest(string text, string context) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context + "\n" + text)))[..16];
}
