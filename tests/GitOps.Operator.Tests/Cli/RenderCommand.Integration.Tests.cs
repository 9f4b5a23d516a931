using GitOps.Engine.Model;
using GitOps.Operator.Tests.Render;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Cli;

/// <summary>
/// `gitops render` as CI runs it: the built command in its own process, in a Git work tree, tools
/// named by GITOPS_KUBECTL / GITOPS_HELM, manifests on stdout, a one-line error and exit 1 otherwise.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RenderCommandTests : IDisposable
{
    private readonly RenderRepo _repo = new();

    public RenderCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo.Root, ".git"));
        _repo.Write("plain/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n");
    }

    public void Dispose() => _repo.Dispose();

    private async Task<ProcessResult> RenderAsync(params string[] args)
    {
        var gitops = typeof(GitOps.Operator.Cli.RenderCommand).Assembly.Location;
        var env = new Dictionary<string, string>
        {
            ["GITOPS_KUBECTL"] = ToolPaths.Kubectl,
            ["GITOPS_HELM"] = ToolPaths.Helm,
            ["TMPDIR"] = _repo.Work,
            ["NO_COLOR"] = "1",
        };
        return await ProcessRunner.RunAsync("dotnet", [gitops, "render", .. args], environment: env, workingDirectory: _repo.Root, timeout: TimeSpan.FromMinutes(2));
    }

    private static IReadOnlyList<Manifest> Parse(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.StdErr);
        return ManifestReader.Read(result.StdOut, "stdout");
    }

    [Fact]
    public async Task Render_KustomizeOverlay_PrintsTheOverlaysManifests()
    {
        var manifests = Parse(await RenderAsync("apps/web/overlays/prod"));

        var deployment = Assert.Single(manifests, m => m.Kind == "Deployment");
        Assert.Equal("prod-web", deployment.Name);
        Assert.Equal(5, (long?)deployment.ToJson()["spec"]?["replicas"]);
        Assert.Equal("nginx:1.27", (string?)deployment.ToJson()["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]);
        var config = Assert.Single(manifests, m => m.Kind == "ConfigMap");
        Assert.Matches("^prod-web-config-[a-z0-9]{10}$", config.Name);
    }

    [Fact]
    public async Task Render_ChartWithValuesAndSet_PrintsTemplatedManifests()
    {
        var manifests = Parse(await RenderAsync("charts/web", "--values", "charts/web/values-prod.yaml", "--helm-set", "greeting=from-ci", "--namespace", "prod"));

        var config = Assert.Single(manifests);
        Assert.Equal("web-settings", config.Name);
        Assert.Equal("prod", (string?)config.ToJson()["data"]?["env"]);
        Assert.Equal("4", (string?)config.ToJson()["data"]?["replicas"]);
        Assert.Equal("from-ci", (string?)config.ToJson()["data"]?["greeting"]);
    }

    [Fact]
    public async Task Render_PlainDirectory_PrintsItsFiles()
    {
        var manifests = Parse(await RenderAsync("plain"));

        Assert.Equal("plain", Assert.Single(manifests).Name);
    }

    public static TheoryData<string, string, string> Failure_TestData => new()
    {
        { "broken YAML names file and line", "broken", "broken/cm.yaml:" },
        { "missing path", "nowhere", "\"nowhere\"" },
        { "symlink out of the repository", "escape", "points outside the repository" },
        { "kustomization that fails to build", "badkustomize", "missing.yaml" },
    };

    [Theory]
    [MemberData(nameof(Failure_TestData))]
    public async Task Render_BadInput_OneLineErrorExit1NothingPrinted(string caseName, string path, string expected)
    {
        _ = caseName;
        _repo.Write("broken/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        _repo.Write("badkustomize/kustomization.yaml", "resources:\n  - missing.yaml\n");
        if (path == "escape")
        {
            Directory.CreateDirectory(Path.Combine(_repo.Root, "escape"));
            File.CreateSymbolicLink(Path.Combine(_repo.Root, "escape", "secret.yaml"), Path.Combine(_repo.Outside, "secret.yaml"));
        }

        var result = await RenderAsync(path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.StdOut);
        Assert.StartsWith("gitops render: ", result.StdErr);
        Assert.Contains(expected, result.StdErr);
        Assert.DoesNotContain(_repo.Work, result.StdErr);
        Assert.DoesNotContain("stolen", result.StdErr);
    }
}
