using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ApiResourcesTests(ApiTarget target)
{
    [Fact]
    public async Task ApiResources_Default_ListsBuiltinsWithoutWarnings()
    {
        var result = await Kubectl.RunAsync(target, "api-resources");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(KubectlKit.UnexpectedStdErr(result.StdErr));
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^configmaps\s+cm\s+v1\s+true\s+ConfigMap\s*$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io/v1\s+false\s+CustomResourceDefinition\s*$"));
    }

    [Fact]
    public async Task ApiResources_WideOutput_ShowsVerbs()
    {
        var output = await Kubectl.OkAsync(target, "api-resources", "-o", "wide", "--api-group=apps");

        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s+create,delete,deletecollection,get,list,patch,update,watch", output);
    }

    [Fact]
    public async Task ApiResources_NamespacedFalse_ListsOnlyClusterScoped()
    {
        var output = await Kubectl.OkAsync(target, "api-resources", "--namespaced=false", "-o", "name");
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Contains("namespaces", names);
        Assert.Contains("clusterroles.rbac.authorization.k8s.io", names);
        Assert.DoesNotContain("configmaps", names);
    }

    [Fact]
    public async Task ApiVersions_Default_ListsGroupVersionsWithoutWarnings()
    {
        var result = await Kubectl.RunAsync(target, "api-versions");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(KubectlKit.UnexpectedStdErr(result.StdErr));
        var versions = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var v in new[] { "v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "apiextensions.k8s.io/v1", "autoscaling/v2" })
            Assert.Contains(v, versions);
        Assert.Equal(versions.Order(StringComparer.Ordinal), versions);
    }

    [Fact]
    public async Task Version_Default_ReportsServerVersion()
    {
        var output = await Kubectl.OkAsync(target, "version", "-o", "json");
        var doc = System.Text.Json.Nodes.JsonNode.Parse(output)!;

        Assert.Equal("v1.35.2", (string?)doc["clientVersion"]?["gitVersion"]);
        Assert.StartsWith("v1.", (string?)doc["serverVersion"]?["gitVersion"]);
    }
}
