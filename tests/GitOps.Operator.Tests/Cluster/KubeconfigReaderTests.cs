using GitOps.Operator.Cluster.Remote;

namespace GitOps.Operator.Tests.Cluster;

public sealed class KubeconfigReaderTests
{
    private const string Token = "s3cr3t-token-value";

    private static string Kubeconfig(string user, string cluster = "server: https://10.0.0.1:6443", string context = "current-context: c") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            {cluster}
        users:
        - name: u
          user:
        {user}
        contexts:
        - name: c
          context: {"{"} cluster: c, user: u {"}"}
        - name: other
          context: {"{"} cluster: c, user: u {"}"}
        {context}
        """;

    private static string Indent(string s) => string.Join('\n', s.Split('\n').Select(l => "    " + l));

    [Fact]
    public void Token_Accepted_ServerAndDigest()
    {
        var config = KubeconfigReader.Read(Kubeconfig(Indent($"token: {Token}")), null, allowExec: false, "Secret a/kc");
        Assert.Equal("https://10.0.0.1:6443", config.Server);
        Assert.Equal(16, config.Digest.Length);
        Assert.Equal(Token, config.Config.AccessToken);
    }

    [Fact]
    public void AnotherContext_AnotherDigest()
    {
        var text = Kubeconfig(Indent($"token: {Token}"));
        Assert.NotEqual(KubeconfigReader.Read(text, null, false, "s").Digest, KubeconfigReader.Read(text, "other", false, "s").Digest);
    }

    [Fact]
    public void ClientCertificateData_Accepted()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=alice", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        static string B64(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
        var user = Indent($"client-certificate-data: {B64(cert.ExportCertificatePem())}\nclient-key-data: {B64(key.ExportPkcs8PrivateKeyPem())}");
        var config = KubeconfigReader.Read(Kubeconfig(user, $"server: https://10.0.0.1:6443\n    certificate-authority-data: {B64(cert.ExportCertificatePem())}"), null, allowExec: false, "s");
        Assert.NotNull(config.Config.ClientCertificateData);
        Assert.Null(config.Config.AccessToken);
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { Indent("exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: /bin/sh\n  interactiveMode: Never"), "server: https://10.0.0.1", "exec credential plugins are refused" },
        { Indent("auth-provider:\n  name: gcp\n  config: { cmd-path: /bin/sh }"), "server: https://10.0.0.1", "auth-provider \"gcp\" is refused" },
        { Indent("client-certificate: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\nclient-key: /etc/key"), "server: https://10.0.0.1", "name files" },
        { Indent($"token: {Token}"), "server: https://10.0.0.1\n    certificate-authority: /etc/ca.crt", "certificate-authority names a file" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refused_WithWhy_NeverTheContent(string user, string cluster, string why)
    {
        var e = Assert.Throws<ClusterCredentialsException>(() => KubeconfigReader.Read(Kubeconfig(user, cluster), null, allowExec: false, "Secret a/kc"));
        Assert.Equal("KubeconfigRefused", e.Reason);
        Assert.Contains(why, e.Message);
        Assert.StartsWith("Secret a/kc", e.Message);
        Assert.DoesNotContain(Token, e.Message);
        Assert.DoesNotContain("/var/run", e.Message);
    }

    [Fact]
    public void Exec_AllowedWhenTheOperatorSaysSo()
    {
        var script = Path.Combine(Path.GetTempPath(), $"gitops-exec-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var cleanup = new TempFile(script);
        var text = Kubeconfig(Indent($"exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: {script}\n  interactiveMode: Never"));
        Assert.Equal("https://10.0.0.1:6443", KubeconfigReader.Read(text, null, allowExec: true, "s").Server);
    }

    public static TheoryData<string, string?, string> Invalid => new()
    {
        { "clusters: [unclosed", null, "does not hold a readable kubeconfig (line" },
        { Kubeconfig(Indent($"token: {Token}"), context: ""), null, "has no current-context" },
        { Kubeconfig(Indent($"token: {Token}")), "missing", "has no context \"missing\"" },
        { Kubeconfig(Indent($"token: {Token}"), cluster: "server: ftp://10.0.0.1"), null, "no http(s) server address" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_SaysWhatIsWrong(string text, string? context, string why)
    {
        var e = Assert.Throws<ClusterCredentialsException>(() => KubeconfigReader.Read(text, context, allowExec: false, "Secret a/kc"));
        Assert.Equal("KubeconfigInvalid", e.Reason);
        Assert.Contains(why, e.Message);
        Assert.DoesNotContain(Token, e.Message);
    }

    private sealed class TempFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
