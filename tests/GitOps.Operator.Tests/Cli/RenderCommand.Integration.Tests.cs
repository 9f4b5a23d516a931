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

    public static TheoryData<string, string, bool, int, string[]> Check_TestData() => new()
    {
        { "clean directory", "plain", false, 0, [] },
        { "plain Secret refused by default", "secret", false, 1, ["gitops render: Secret/default/creds: no-plain-secrets: a Secret in plain text in Git; encrypt it (SOPS) or create it outside Git"] },
        { "a Project turning the Secret rule off and warning on :latest", "latest", true, 0, ["gitops render: Deployment/default/web: image-tag: container \"web\" image \"nginx:latest\" uses :latest (warning)"] },
        { "the same without the Project: :latest is not checked", "latest", false, 0, [] },
    };

    /// <summary>Trust boundaries, point 4: CI runs the operator's guardrails before a merge.</summary>
    [Theory]
    [MemberData(nameof(Check_TestData))]
    public async Task Render_Check_GuardrailsDecideTheExitCode(string caseName, string path, bool withProject, int exitCode, string[] errors)
    {
        _repo.Write("secret/s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: default\nstringData:\n  password: hunter2\n");
        _repo.Write("latest/d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:latest\n");
        var project = Path.Combine(_repo.Work, "project.yaml");
        await File.WriteAllTextAsync(project, "apiVersion: gitops.dev/v1alpha1\nkind: Project\nmetadata:\n  name: p\nspec:\n  guardrails:\n    rules:\n    - { name: no-plain-secrets, action: \"off\" }\n    - { name: image-tag, action: warn }\n");

        var result = await RenderAsync([path, "--check", .. withProject ? new[] { "--project", project } : []]);

        Assert.True(result.ExitCode == exitCode, $"{caseName}: {result}");
        Assert.True(errors.SequenceEqual(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), $"{caseName}: {result.StdErr}");
        Assert.NotEmpty(ManifestReader.Read(result.StdOut, "stdout"));
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
        { "path out of the checkout", "../../../../../../etc", "is outside the checkout" },
        { "merge key to an unknown anchor", "mergekey", "mergekey/cm.yaml: is not valid YAML: a merge key" },
    };

    [Theory]
    [MemberData(nameof(Failure_TestData))]
    public async Task Render_BadInput_OneLineErrorExit1NothingPrinted(string caseName, string path, string expected)
    {
        _ = caseName;
        _repo.Write("broken/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        _repo.Write("badkustomize/kustomization.yaml", "resources:\n  - missing.yaml\n");
        _repo.Write("mergekey/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: *meta\n  name: a\n");
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
