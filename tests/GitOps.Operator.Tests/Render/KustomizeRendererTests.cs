using System.Text.Json.Nodes;
using GitOps.Operator.Render;

namespace GitOps.Operator.Tests.Render;

public sealed class KustomizeRendererTests : IDisposable
{
    private readonly RenderRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Theory]
    [InlineData("dev overlay", "apps/web/overlays/dev", "name: dev-web", "nginx:1.26", "replicas: 2")]
    [InlineData("prod overlay", "apps/web/overlays/prod", "name: prod-web", "nginx:1.27", "replicas: 5")]
    public async Task RenderAsync_Overlay_AppliesPrefixImageReplicasAndHashSuffix(string caseName, string path, string name, string image, string replicas)
    {
        _ = caseName;
        var runner = new ToolRunner(_repo.Options());
        var docs = await new KustomizeRenderer(runner).RenderAsync(_repo.Request(path), CancellationToken.None);
        var text = Assert.Single(docs).Text;
        Assert.Contains(name, text);
        Assert.Contains(image, text);
        Assert.Contains(replicas, text);
        Assert.Matches(@"name: (dev|prod)-web-config-[a-z0-9]{10}", text);
    }

    [Fact]
    public async Task RenderAsync_SpecOverrides_AppliedOnCopyRepoUnchanged()
    {
        var before = File.ReadAllText(Path.Combine(_repo.Root, "apps/web/overlays/dev/kustomization.yaml"));
        var spec = JsonNode.Parse("""
            { "namePrefix": "x-", "images": ["nginx=registry.local/nginx:2.0"], "commonLabels": { "team": "a" },
              "commonAnnotations": { "owner": "b" }, "namespace": "ns1",
              "patches": [ { "target": { "kind": "Deployment" }, "patch": "- op: add\n  path: /spec/minReadySeconds\n  value: 7" } ] }
            """)!.AsObject();
        var runner = new ToolRunner(_repo.Options());
        var text = Assert.Single(await new KustomizeRenderer(runner).RenderAsync(_repo.Request("apps/web/overlays/dev", kustomize: spec), CancellationToken.None)).Text;
        Assert.Contains("name: x-web", text);
        Assert.Contains("registry.local/nginx:2.0", text);
        Assert.Contains("team: a", text);
        Assert.Contains("owner: b", text);
        Assert.Contains("namespace: ns1", text);
        Assert.Contains("minReadySeconds: 7", text);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_repo.Root, "apps/web/overlays/dev/kustomization.yaml")));
    }

    public static TheoryData<string, string, string> Traversal_TestData => new()
    {
        { "resources leave the repo", "resources:\n  - ../../../../outside\n", "leaves the repository" },
        { "resources absolute", "resources:\n  - /etc/passwd\n", "must be a relative path" },
        { "components leave the repo", "components:\n  - ../../../../../tmp\n", "leaves the repository" },
        { "patches path absolute", "resources: []\npatches:\n  - path: /etc/hosts\n", "must be a relative path" },
        { "patchesStrategicMerge escape", "patchesStrategicMerge:\n  - ../../../../x.yaml\n", "leaves the repository" },
        { "configMapGenerator files escape", "configMapGenerator:\n  - name: c\n    files:\n      - key=../../../../../etc/passwd\n", "leaves the repository" },
        { "secretGenerator envs absolute", "secretGenerator:\n  - name: s\n    envs:\n      - /etc/environment\n", "must be a relative path" },
        { "remote base", "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v1.0.6\n", "remote location" },
        { "remote git base", "resources:\n  - github.com/org/repo/base?ref=main\n", "remote location" },
    };

    [Theory]
    [MemberData(nameof(Traversal_TestData))]
    public async Task RenderAsync_PathLeavesRepository_RefusedBeforeToolRuns(string caseName, string kustomization, string expected)
    {
        _ = caseName;
        _repo.Write("apps/evil/kustomization.yaml", kustomization);
        var runner = new ToolRunner(_repo.Options());
        var e = await Assert.ThrowsAsync<RenderException>(() => new KustomizeRenderer(runner).RenderAsync(_repo.Request("apps/evil"), CancellationToken.None));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RenderAsync_SymlinkOutOfRepo_RefusedBeforeToolRuns()
    {
        _repo.Write("apps/link/kustomization.yaml", "resources:\n  - secret.yaml\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "apps/link/secret.yaml"), Path.Combine(_repo.Outside, "secret.yaml"));
        var runner = new ToolRunner(_repo.Options());
        var e = await Assert.ThrowsAsync<RenderException>(() => new KustomizeRenderer(runner).RenderAsync(_repo.Request("apps/link"), CancellationToken.None));
        Assert.Contains("points outside the repository", e.Message);
        Assert.Equal(0, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RenderAsync_BrokenKustomization_ToolMessageWithoutLocalPaths()
    {
        _repo.Write("apps/broken/kustomization.yaml", "resources:\n  - missing.yaml\n");
        var runner = new ToolRunner(_repo.Options());
        var e = await Assert.ThrowsAsync<RenderException>(() => new KustomizeRenderer(runner).RenderAsync(_repo.Request("apps/broken"), CancellationToken.None));
        Assert.Contains("missing.yaml", e.Message);
        Assert.DoesNotContain(_repo.Root, e.Describe());
        Assert.DoesNotContain("/tmp/", e.Describe());
    }

    public static TheoryData<string, string, string> ImageParse_TestData => new()
    {
        { "tag only", "nginx:1.26", """{"name":"nginx","newTag":"1.26"}""" },
        { "new name and tag", "nginx=reg.local:5000/nginx:2", """{"name":"nginx","newName":"reg.local:5000/nginx","newTag":"2"}""" },
        { "digest", "nginx@sha256:abc", """{"name":"nginx","digest":"sha256:abc"}""" },
        { "registry port no tag", "reg.local:5000/app", """{"name":"reg.local:5000/app"}""" },
    };

    [Theory]
    [MemberData(nameof(ImageParse_TestData))]
    public void ParseImage_ArgoForm_KustomizeImageEntry(string caseName, string text, string expected)
    {
        _ = caseName;
        Assert.Equal(expected, KustomizeRenderer.ParseImage(text).ToJsonString());
    }
}
