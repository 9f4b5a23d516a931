using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// The self-signed certificate the sandbox serves TLS with in Rbac mode: client-go (kubectl, helm)
/// sends a bearer token only over TLS, so token authentication needs HTTPS. The certificate is its
/// own CA (kubeconfigs carry it as certificate-authority-data), for 127.0.0.1, ::1, localhost and
/// the listen address, valid for a year.
/// </summary>
internal static class ServingCertificate
{
    public static X509Certificate2 Create(string listenAddress)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sandbox-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        foreach (var ip in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }) names.AddIpAddress(ip);
        if (IPAddress.TryParse(listenAddress, out var listen) && !listen.Equals(IPAddress.Loopback) && !listen.Equals(IPAddress.IPv6Loopback)
            && !listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
            names.AddIpAddress(listen);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // Re-imported so that the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The certificate alone (no key), PEM-encoded: a kubeconfig's certificate-authority-data before base64.</summary>
    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";
}
