using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Autorest;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>A KubernetesClient built from SandboxServer.IssueToken and CertificateAuthority alone, as tests of the operator build theirs.</summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IssuedTokenTests(RbacTarget target)
{
    public static TheoryData<string, string, HttpStatusCode?> Token_TestData() => new()
    {
        { "bound to view", "view", null },
        { "unbound", "", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Token_TestData))]
    public async Task List_WithIssuedToken_IsAuthorisedAsItsUser(string caseName, string clusterRole, HttpStatusCode? refusal)
    {
        _ = caseName;
        if (target.IsRealCluster) return; // tokens are issued by the sandbox
        var ns = await target.NewNamespaceAsync();
        var account = $"system:serviceaccount:{ns}:reader";
        if (clusterRole.Length > 0) await Grants.BindClusterRoleAsync(target, ns, account, clusterRole);
        var sandbox = target.Sandbox!;
        using var client = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = sandbox.BaseAddress.ToString(),
            AccessToken = sandbox.IssueToken(account, []),
            SslCaCerts = new X509Certificate2Collection(sandbox.CertificateAuthority!),
        });

        if (refusal is null)
        {
            var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
            Assert.NotNull(list.Items);
            return;
        }
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync(ns));
        Assert.Equal(refusal, e.Response.StatusCode);
        Assert.Contains($"User \\\"{account}\\\" cannot list resource \\\"configmaps\\\"", e.Response.Content);
    }

    [Fact]
    public void BaseAddress_InRbacMode_IsHttps()
    {
        if (target.IsRealCluster) return;
        Assert.Equal("https", target.Sandbox!.BaseAddress.Scheme);
        Assert.Contains("certificate-authority-data:", File.ReadAllText(target.KubeconfigPath));
    }
}
