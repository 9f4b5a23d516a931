using GitOps.Operator.Render;

namespace GitOps.Operator.Tests.Render;

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
}
