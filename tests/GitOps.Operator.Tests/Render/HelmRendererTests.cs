using System.Text.Json.Nodes;
using GitOps.Operator.Render;

namespace GitOps.Operator.Tests.Render;

public sealed class HelmRendererTests : IDisposable
{
    private readonly RenderRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    public static TheoryData<string, string, string[]> Values_TestData => new()
    {
        { "chart defaults", "{}", ["env: \"none\"", "replicas: \"1\"", "greeting: \"default\""] },
        { "dev values file", """{"valueFiles":["values-dev.yaml"]}""", ["env: \"dev\"", "replicas: \"2\""] },
        { "prod values file and inline values", """{"valueFiles":["values-prod.yaml"],"values":"greeting: hi"}""", ["env: \"prod\"", "replicas: \"4\"", "greeting: \"hi\""] },
        { "parameter wins", """{"valueFiles":["values-prod.yaml"],"parameters":[{"name":"replicas","value":"9"}]}""", ["replicas: \"9\""] },
        { "release name", """{"releaseName":"blue"}""", ["name: blue-settings"] },
    };

    [Theory]
    [MemberData(nameof(Values_TestData))]
    public async Task RenderAsync_Values_MergedInHelmOrder(string caseName, string helm, string[] expected)
    {
        _ = caseName;
        var runner = new ToolRunner(_repo.Options());
        var text = Assert.Single(await new HelmRenderer(runner).RenderAsync(_repo.Request("charts/web", helm: JsonNode.Parse(helm)!.AsObject()), CancellationToken.None)).Text;
        foreach (var e in expected) Assert.Contains(e, text);
    }

    public static TheoryData<string, string, string> Traversal_TestData => new()
    {
        { "valueFiles leave the repo", """{"valueFiles":["../../../../etc/passwd"]}""", "leaves the repository" },
        { "valueFiles absolute", """{"valueFiles":["/etc/passwd"]}""", "must be a relative path" },
        { "valueFiles remote", """{"valueFiles":["https://example.com/values.yaml"]}""", "remote location" },
    };

    [Theory]
    [MemberData(nameof(Traversal_TestData))]
    public async Task RenderAsync_ValueFileOutsideRepo_RefusedBeforeToolRuns(string caseName, string helm, string expected)
    {
        _ = caseName;
        var runner = new ToolRunner(_repo.Options());
        var e = await Assert.ThrowsAsync<RenderException>(() => new HelmRenderer(runner).RenderAsync(_repo.Request("charts/web", helm: JsonNode.Parse(helm)!.AsObject()), CancellationToken.None));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RenderAsync_RemoteDependencyNotVendored_RefusedBeforeToolRuns()
    {
        _repo.Write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n");
        var runner = new ToolRunner(_repo.Options());
        var e = await Assert.ThrowsAsync<RenderException>(() => new HelmRenderer(runner).RenderAsync(_repo.Request("charts/web"), CancellationToken.None));
        Assert.Contains("not vendored", e.Message);
        Assert.Equal(0, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RenderAsync_SymlinkedTemplateOutOfRepo_RefusedBeforeToolRuns()
    {
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "charts/web/templates/secret.yaml"), Path.Combine(_repo.Outside, "secret.yaml"));
        var runner = new ToolRunner(_repo.Options());
        var e = await Assert.ThrowsAsync<RenderException>(() => new HelmRenderer(runner).RenderAsync(_repo.Request("charts/web"), CancellationToken.None));
        Assert.Contains("points outside the repository", e.Message);
        Assert.Equal(0, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RenderAsync_TemplateFails_ToolMessageWithoutLocalPaths()
    {
        _repo.Write("charts/web/templates/bad.yaml", "{{ required \"image.tag is required\" .Values.image.tag }}\n");
        var runner = new ToolRunner(_repo.Options());
        var e = await Assert.ThrowsAsync<RenderException>(() => new HelmRenderer(runner).RenderAsync(_repo.Request("charts/web"), CancellationToken.None));
        Assert.Contains("bad.yaml", e.Message);
        Assert.DoesNotContain(_repo.Root, e.Describe());
        Assert.DoesNotContain(_repo.Work, e.Describe());
    }
}
