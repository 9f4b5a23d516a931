using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GitOps.Operator.Cluster;
using GitOps.Sandbox;
using k8s;
using k8s.Exceptions;

namespace GitOps.Operator.Tests.Cluster;

public sealed class KubeHttpTests
{
    private static (string CertPem, string KeyPem) SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ClientCertificate_InlineCertificateAndKey_CarriesThePrivateKey()
    {
        var (cert, key) = SelfSigned("alice");

        using var loaded = KubeHttp.ClientCertificate(new KubernetesClientConfiguration { Host = "https://k8s.invalid", ClientCertificateData = B64(cert), ClientCertificateKeyData = B64(key) });

        Assert.NotNull(loaded);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal("CN=alice", loaded.Subject);
    }

    [Fact]
    public void ClientCertificate_FilesWinOverInlineData()
    {
        var (inlineCert, inlineKey) = SelfSigned("inline");
        var (fileCert, fileKey) = SelfSigned("file");
        var dir = Directory.CreateTempSubdirectory("gitops-kubehttp-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "c.pem"), fileCert);
            File.WriteAllText(Path.Combine(dir, "k.pem"), fileKey);

            using var loaded = KubeHttp.ClientCertificate(new KubernetesClientConfiguration
            {
                Host = "https://k8s.invalid",
                ClientCertificateData = B64(inlineCert), ClientCertificateKeyData = B64(inlineKey),
                ClientCertificateFilePath = Path.Combine(dir, "c.pem"), ClientKeyFilePath = Path.Combine(dir, "k.pem"),
            });

            Assert.Equal("CN=file", loaded!.Subject);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ClientCertificate_NoneNamed_Null()
    {
        Assert.Null(KubeHttp.ClientCertificate(new KubernetesClientConfiguration { Host = "https://k8s.invalid" }));
    }

    [Fact]
    public void ClientCertificate_CertificateWithoutKeyOrWithAnotherKey_ClearError()
    {
        var (cert, _) = SelfSigned("alice");
        var (_, otherKey) = SelfSigned("mallory");

        Assert.Throws<KubeConfigException>(() => KubeHttp.ClientCertificate(new KubernetesClientConfiguration { Host = "https://k8s.invalid", ClientCertificateData = B64(cert) }));
        Assert.Throws<KubeConfigException>(() => KubeHttp.ClientCertificate(new KubernetesClientConfiguration { Host = "https://k8s.invalid", ClientCertificateData = B64(cert), ClientCertificateKeyData = B64(otherKey) }));
        Assert.Throws<KubeConfigException>(() => KubeHttp.ClientCertificate(new KubernetesClientConfiguration { Host = "https://k8s.invalid", ClientCertificateData = "not base64!", ClientCertificateKeyData = B64(otherKey) }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    public void FromConfig_BadHost_KubeConfigException(string host)
    {
        Assert.Throws<KubeConfigException>(() => KubeHttp.FromConfig(new KubernetesClientConfiguration { Host = host }));
    }

    [Fact]
    public void FromConfig_HostWithPath_BaseUriEndsInSlash()
    {
        var http = KubeHttp.FromConfig(new KubernetesClientConfiguration { Host = "https://proxy.example/k8s/clusters/c-1", SkipTlsVerify = true, AccessToken = "t" });

        Assert.Equal("https://proxy.example/k8s/clusters/c-1/", http.BaseUri.ToString());
        Assert.NotNull(http.Credentials);
        http.Client.Dispose();
    }

    [Fact]
    public async Task KubeApi_HttpsSandbox_TrustsOnlyTheKubeconfigsCertificateAuthority()
    {
        await using var server = await SandboxServer.StartAsync(SandboxOptions.Default with { Authorization = AuthorizationMode.Rbac });
        await using var other = await SandboxServer.StartAsync(SandboxOptions.Default with { Authorization = AuthorizationMode.Rbac });
        var dir = Directory.CreateTempSubdirectory("gitops-kubehttp-").FullName;
        try
        {
            var own = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(Path.Combine(dir, "own")));
            // The other sandbox's CA, with this server's address and token: a server the CA did not sign is refused.
            var foreign = KubernetesClientConfiguration.BuildConfigFromConfigFile(other.WriteKubeconfig(Path.Combine(dir, "other")));
            foreign.Host = own.Host;
            foreign.AccessToken = own.AccessToken;
            var skipping = KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(dir, "own"));
            skipping.SslCaCerts = null;
            skipping.SkipTlsVerify = true;

            // tls-server-name: a name the certificate does not carry is refused, even with the right CA.
            var misnamed = KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(dir, "own"));
            misnamed.TlsServerName = "not-the-sandbox.invalid";
            var renamed = KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(dir, "own"));
            renamed.TlsServerName = "localhost";

            using var trusted = KubeApi.FromConfig(own);
            using var wrongName = KubeApi.FromConfig(misnamed);
            using var otherName = KubeApi.FromConfig(renamed);
            using var untrusted = KubeApi.FromConfig(foreign);
            using var unverified = KubeApi.FromConfig(skipping);

            Assert.NotNull(await trusted.GetAsync("/api/v1/namespaces/default", CancellationToken.None));
            var refused = await Assert.ThrowsAsync<KubeApiException>(() => untrusted.GetAsync("/api/v1/namespaces/default", CancellationToken.None));
            Assert.Equal(0, refused.Code);
            Assert.NotNull(await unverified.GetAsync("/api/v1/namespaces/default", CancellationToken.None));
            Assert.Equal(0, (await Assert.ThrowsAsync<KubeApiException>(() => wrongName.GetAsync("/api/v1/namespaces/default", CancellationToken.None))).Code);
            Assert.NotNull(await otherName.GetAsync("/api/v1/namespaces/default", CancellationToken.None));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Validation_CertificateOfTheSameCaForAnotherName_Refused()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=cluster-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=node-1", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("node-1.cluster.internal");
        leafRequest.CertificateExtensions.Add(names.Build());
        using var kubelet = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
        var trusted = new X509Certificate2Collection(ca);
        const System.Net.Security.SslPolicyErrors untrustedRoot = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
        const System.Net.Security.SslPolicyErrors otherName = System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch;

        // Signed by the kubeconfig's CA and named for the address used: trusted.
        using (var chain = new X509Chain()) Assert.True(KubeHttp.Validation(trusted, null)(this, kubelet, chain, untrustedRoot));
        // The same certificate presented for the API server's address: the CA signed it, the name is another server's.
        using (var chain = new X509Chain()) Assert.False(KubeHttp.Validation(trusted, null)(this, kubelet, chain, untrustedRoot | otherName));
        // tls-server-name decides the name: the certificate's own name passes, another does not.
        using (var chain = new X509Chain()) Assert.True(KubeHttp.Validation(trusted, "node-1.cluster.internal")(this, kubelet, chain, untrustedRoot | otherName));
        using (var chain = new X509Chain()) Assert.False(KubeHttp.Validation(trusted, "kubernetes.default.svc")(this, kubelet, chain, untrustedRoot));
        // Another CA: refused whatever the name.
        using (var chain = new X509Chain()) Assert.False(KubeHttp.Validation(new X509Certificate2Collection(kubelet), null)(this, ca, chain, untrustedRoot));
    }
}
