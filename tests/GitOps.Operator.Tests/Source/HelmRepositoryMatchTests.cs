using GitOps.Operator.Render;

using GitOps.Operator.Source;
using GitOps.Operator.Tests.Render;

namespace GitOps.Operator.Tests.Source;

/// <summary>Which dependency repositories count as the Helm repository a chart came from.</summary>
public sealed class HelmRepositoryMatchTests
{
    public static TheoryData<string, string, bool> IsSameRepository_TestData => new()
    {
        { "identical", "https://charts.example.com/stable", true },
        { "trailing slash", "https://charts.example.com/stable/", true },
        { "host case and credentials", "https://me:pw@CHARTS.example.com/stable", true },
        { "other path", "https://charts.example.com/incubator", false },
        { "other scheme", "http://charts.example.com/stable", false },
        { "other port", "https://charts.example.com:8443/stable", false },
        { "repository alias", "@stable", false },
        { "oci", "oci://charts.example.com/stable", false },
        { "empty", "", false },
    };

    [Theory]
    [MemberData(nameof(IsSameRepository_TestData))]
    public void IsSameRepository_Cases(string caseName, string repository, bool expected)
    {
        _ = caseName;
        Assert.Equal(expected, HelmChartSource.IsSameRepository(repository, new Uri("https://charts.example.com/stable/")));
    }

    public static TheoryData<string, string, string, string?> OciReference_TestData => new()
    {
        { "registry and path", "oci://ghcr.io/org/charts", "https://ghcr.io/v2/org/charts/web/", null },
        { "registry root", "oci://registry.example.com:5000", "https://registry.example.com:5000/v2/web/", null },
        { "trailing slash", "oci://ghcr.io/org/", "https://ghcr.io/v2/org/web/", null },
        { "loopback is plain HTTP", "oci://127.0.0.1:5000/charts", "http://127.0.0.1:5000/v2/charts/web/", null },
        { "credentials in the URL", "oci://me:pw@ghcr.io/org", "", "secretRef" },
        { "upper case path", "oci://ghcr.io/Org", "", "not a valid OCI repository name" },
        { "not oci", "https://ghcr.io/org", "", "oci://registry/path" },
    };

    [Theory]
    [MemberData(nameof(OciReference_TestData))]
    public void OciChartReference_Parse_Cases(string caseName, string repoUrl, string expectedBase, string? error)
    {
        _ = caseName;
        if (error is null)
        {
            Assert.Equal(expectedBase, OciChartReference.Parse(repoUrl, "web").Base.ToString());
            return;
        }
        var e = Assert.Throws<GitOps.Operator.Source.SourceException>(() => OciChartReference.Parse(repoUrl, "web"));
        Assert.Contains(error, e.Message);
        Assert.DoesNotContain("pw@", e.Message);
    }
}
