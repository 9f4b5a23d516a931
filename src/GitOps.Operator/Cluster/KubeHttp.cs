using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Authentication;
using k8s.Exceptions;

namespace GitOps.Operator.Cluster;

/// <summary>
/// The HTTP side of a <see cref="KubernetesClientConfiguration"/>: the API server's base URI, a client whose TLS
/// trusts the kubeconfig's CA (or skips verification when it says so) and presents its client certificate, and the
/// credentials (token, token file, exec plugin, basic) that sign each request. Built from KubernetesClient's own
/// public helpers (<see cref="Kubernetes.CreateCredentials"/>, <see cref="Kubernetes.CertificateValidationCallBack"/>)
/// without constructing <see cref="Kubernetes"/> itself: its typed operations
/// root every model type of the API in a native build (8 MiB of type data rebuilt at every start, 13 MB of executable),
/// and the operator speaks unstructured JSON.
/// </summary>
internal sealed record KubeHttp(Uri BaseUri, HttpClient Client, ServiceClientCredentials? Credentials)
{
    public static KubeHttp FromConfig(KubernetesClientConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(config.Host)) throw new KubeConfigException("Host url must be set");
        if (!Uri.TryCreate(config.Host, UriKind.Absolute, out var host)) throw new KubeConfigException($"Bad host url '{config.Host}'");
        var handler = new SocketsHttpHandler
        {
            // As KubernetesClient's own handler: HTTP/2 pings keep long watches from being cut by idle middleboxes.
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromMinutes(3),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        handler.SslOptions.ClientCertificates = new X509Certificate2Collection();
        if (host.Scheme == Uri.UriSchemeHttps && !config.SkipTlsVerify) handler.SslOptions.RemoteCertificateValidationCallback = Validation(config.SslCaCerts, config.TlsServerName);
        else if (host.Scheme == Uri.UriSchemeHttps) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        if (ClientCertificate(config) is { } clientCertificate) handler.SslOptions.ClientCertificates.Add(clientCertificate);
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var baseUrl = host.AbsoluteUri;
        return new KubeHttp(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), client, Kubernetes.CreateCredentials(config));
    }

    /// <summary>
    /// The server's certificate check. With the kubeconfig's CA: KubernetesClient's check (the chain ends at that CA),
    /// which ignores the name, so the name is checked as well, as kubectl does: another server's certificate from the
    /// same CA (a kubelet's) is refused. Without one: the system's trusted roots. The name is the server's host, or the
    /// kubeconfig's tls-server-name when it gives one (the server reached by another address).
    /// </summary>
    internal static RemoteCertificateValidationCallback Validation(X509Certificate2Collection? ca, string? serverName) => (sender, certificate, chain, errors) =>
    {
        if (certificate is not X509Certificate2 served || chain is null) return false;
        var nameMatches = string.IsNullOrEmpty(serverName) ? (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 : served.MatchesHostname(serverName);
        var rest = errors & ~SslPolicyErrors.RemoteCertificateNameMismatch;
        return nameMatches && (ca is null ? rest == SslPolicyErrors.None : Kubernetes.CertificateValidationCallBack(sender, ca, served, chain, rest));
    };

    /// <summary>
    /// The kubeconfig's client certificate with its private key (PEM, inline as base64 or in files), when it names
    /// both, as KubernetesClient reads them; null when it names neither. A certificate without its key, or a key
    /// that is not the certificate's, is a <see cref="KubeConfigException"/>.
    /// </summary>
    internal static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        var certificate = Pem(config.ClientCertificateData, config.ClientCertificateFilePath);
        var key = Pem(config.ClientCertificateKeyData, config.ClientKeyFilePath);
        if (certificate is null && key is null) return null;
        if (certificate is null || key is null) throw new KubeConfigException("the kubeconfig names a client certificate without its key, or a key without its certificate");
        try
        {
            return X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new KubeConfigException($"the kubeconfig's client certificate and key cannot be used together: {e.Message}");
        }
    }

    private static string? Pem(string? base64, string? file)
    {
        if (!string.IsNullOrWhiteSpace(file)) return File.ReadAllText(file);
        if (string.IsNullOrWhiteSpace(base64)) return null;
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new KubeConfigException("the kubeconfig's client certificate or key data is not base64");
        }
    }
}
