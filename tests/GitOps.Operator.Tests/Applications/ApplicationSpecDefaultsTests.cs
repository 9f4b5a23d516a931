using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Render;

namespace GitOps.Operator.Tests.Applications;

/// <summary>Fields absent from the JSON keep their defaults through the source-generated reader (a generated init-only setter would null them).</summary>
public sealed class ApplicationSpecDefaultsTests
{
    [Fact]
    public void Parse_MinimalSpec_EveryDefaultKept()
    {
        var spec = ApplicationSpec.Parse(JsonNode.Parse("""{"spec": {"source": {"repoURL": "https://git.example/r.git"}, "syncPolicy": {"retry": {}}, "ignoreDifferences": [{"kind": "Deployment"}]}}""")!.AsObject());
        Assert.Equal("", spec.Project);
        Assert.Equal("3m", spec.Interval);
        Assert.Empty(spec.HealthChecks);
        Assert.Empty(spec.DependsOn);
        Assert.Equal("HEAD", spec.Source.TargetRevision);
        Assert.Equal(".", spec.Source.Path);
        Assert.NotNull(spec.Source.Directory);
        Assert.NotNull(spec.Destination);
        Assert.Equal(5, spec.SyncPolicy?.Retry?.Limit);
        Assert.Equal("5s", spec.SyncPolicy?.Retry?.Backoff.Duration);
        Assert.Empty(spec.SyncPolicy!.SyncOptions);
        Assert.Empty(Assert.Single(spec.IgnoreDifferences).JsonPointers);
    }

    [Fact]
    public void RenderSources_Empty_DefaultsKept()
    {
        var kustomize = KustomizeSource.From(new JsonObject { ["namePrefix"] = "p-" });
        Assert.Empty(kustomize.Images);
        Assert.Empty(kustomize.CommonLabels);
        Assert.Empty(kustomize.Patches);
        var helm = HelmSource.From(new JsonObject { ["parameters"] = new JsonArray(new JsonObject { ["name"] = "a" }) });
        Assert.Empty(helm.ValueFiles);
        Assert.Equal("", Assert.Single(helm.Parameters).Value);
    }

    [Fact]
    public void Parse_NumbersAsStrings_Read()
    {
        var spec = ApplicationSpec.Parse(JsonNode.Parse("""{"spec": {"syncPolicy": {"retry": {"limit": "7"}}}}""")!.AsObject());
        Assert.Equal(7, spec.SyncPolicy?.Retry?.Limit);
    }
}
