using GitOps.Operator.Cluster;

namespace GitOps.Operator.Tests.Cluster;

public sealed class ManagedScopeTests
{
    public static TheoryData<string, string?, bool, string, bool> Allows_TestData => new()
    {
        { "no flag: everything", null, true, "anywhere", true },
        { "no flag: cluster-scoped", null, false, "", true },
        { "empty flag is no restriction", " , ", false, "", true },
        { "listed namespace", "apps, team-a", true, "team-a", true },
        { "other namespace", "apps,team-a", true, "team-b", false },
        { "cluster-scoped when restricted", "apps", false, "", false },
        { "names are exact", "apps", true, "Apps", false },
    };

    [Theory]
    [MemberData(nameof(Allows_TestData))]
    public void Allows_Cases(string caseName, string? flag, bool namespaced, string ns, bool expected)
    {
        _ = caseName;
        Assert.Equal(expected, ManagedScope.Parse(flag).Allows(namespaced, ns));
    }

    [Fact]
    public void Refusal_NamesTheObjectAndTheFlag()
    {
        var scope = ManagedScope.Parse("team-a,apps");

        Assert.Equal(["apps", "team-a"], scope.Namespaces);
        Assert.Equal("v1/ConfigMap x/y: namespace \"x\" is not managed by this operator (--managed-namespaces apps,team-a)",
            scope.Refusal("v1/ConfigMap x/y", namespaced: true, "x"));
        Assert.StartsWith("rbac/ClusterRole r: cluster-scoped objects are not managed", scope.Refusal("rbac/ClusterRole r", namespaced: false, ""));
    }
}
