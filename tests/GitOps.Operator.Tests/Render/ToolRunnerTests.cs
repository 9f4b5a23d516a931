using System.Diagnostics;
using GitOps.Operator.Render;

namespace GitOps.Operator.Tests.Render;

public sealed class ToolRunnerTests : IDisposable
{
    private readonly RenderRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task RenderAsync_ToolHangs_KilledAtTimeout()
    {
        var fake = _repo.Script("hanging-kubectl", "sleep 300");
        var runner = new ToolRunner(_repo.Options(timeout: TimeSpan.FromSeconds(2), kubectl: fake));
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RenderException>(() => new KustomizeRenderer(runner).RenderAsync(_repo.Request("apps/web/overlays/dev"), CancellationToken.None));
        Assert.Contains("did not finish within 2s", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task RenderAsync_EachRenderer_ReportsItsToolRunEvenWhenItFails()
    {
        var runs = new List<(string Tool, TimeSpan Elapsed)>();
        var failing = _repo.Script("failing-helm", "echo broken >&2; exit 3");
        var runner = new ToolRunner(_repo.Options(), (tool, elapsed) => { lock (runs) runs.Add((tool, elapsed)); });
        var failingRunner = new ToolRunner(_repo.Options(helm: failing), (tool, elapsed) => { lock (runs) runs.Add((tool, elapsed)); });

        await new KustomizeRenderer(runner).RenderAsync(_repo.Request("apps/web/overlays/dev"), CancellationToken.None);
        await new HelmRenderer(runner).RenderAsync(_repo.Request("charts/web"), CancellationToken.None);
        await Assert.ThrowsAsync<RenderException>(() => new HelmRenderer(failingRunner).RenderAsync(_repo.Request("charts/web"), CancellationToken.None));

        Assert.Equal(["kustomize", "helm", "helm"], runs.Select(r => r.Tool));
        Assert.All(runs, r => Assert.True(r.Elapsed > TimeSpan.Zero));
    }

    [Fact]
    public async Task RenderAsync_ToolPrints100MiB_StoppedAtCap()
    {
        var fake = _repo.Script("flooding-helm", "head -c 104857600 /dev/zero | tr '\\000' 'a'");
        var runner = new ToolRunner(_repo.Options(helm: fake, maxOutput: 16L * 1024 * 1024));
        var e = await Assert.ThrowsAsync<RenderException>(() => new HelmRenderer(runner).RenderAsync(_repo.Request("charts/web"), CancellationToken.None));
        Assert.Contains("output limit", e.Message);
    }

    [Fact]
    public async Task RenderAsync_ToolEnvironment_HasNoOperatorVariables()
    {
        Environment.SetEnvironmentVariable("GITOPS_TEST_SECRET", "s3cr3t");
        var fake = _repo.Script("env-kubectl", "env");
        var runner = new ToolRunner(_repo.Options(kubectl: fake));
        var text = Assert.Single(await new KustomizeRenderer(runner).RenderAsync(_repo.Request("apps/web/overlays/dev"), CancellationToken.None)).Text;
        Assert.DoesNotContain("s3cr3t", text);
        Assert.Contains("HOME=" + _repo.Work, text);
    }

    [Fact]
    public async Task RenderAsync_CachedUnchangedTree_StartsNoProcess()
    {
        var runner = new ToolRunner(_repo.Options());
        var selector = RendererSelector.Create(runner, new RenderCache(16, 1 << 26));
        foreach (var path in new[] { "apps/web/overlays/dev", "charts/web" })
        {
            var request = _repo.Request(path);
            await selector.For(request).RenderAsync(request, CancellationToken.None);
        }
        var started = runner.ProcessesStarted;
        for (var i = 0; i < 100; i++)
            foreach (var path in new[] { "apps/web/overlays/dev", "charts/web" })
            {
                var request = _repo.Request(path);
                await selector.For(request).RenderAsync(request, CancellationToken.None);
            }
        Assert.Equal(2, started);
        Assert.Equal(started, runner.ProcessesStarted);
    }

    public static TheoryData<string, string, string> Selection_TestData => new()
    {
        { "kustomization", "apps/web/overlays/dev", "CachingRenderer" },
        { "chart", "charts/web", "CachingRenderer" },
        { "plain directory", "apps/web/base-plain", "DirectoryRenderer" },
    };

    [Theory]
    [MemberData(nameof(Selection_TestData))]
    public void For_PathContents_PicksRenderer(string caseName, string path, string expected)
    {
        _ = caseName;
        _repo.Write("apps/web/base-plain/a.yaml", "kind: A");
        var selector = RendererSelector.Create(new ToolRunner(_repo.Options()), new RenderCache(4, 1 << 20));
        Assert.Equal(expected, selector.For(_repo.Request(path)).GetType().Name);
    }

    [Fact]
    public async Task RenderAsync_ToolEnvironment_GoSettingsButNothingOfTheOperators()
    {
        Environment.SetEnvironmentVariable("GITOPS_TEST_OPERATOR_SECRET", "hunter2");
        try
        {
            var fake = _repo.Script("env-kubectl", """
                printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\ndata:\n  gogc: "%s"\n  memlimit: "%s"\n  secret: "%s"\n' "$GOGC" "$GOMEMLIMIT" "$GITOPS_TEST_OPERATOR_SECRET"
                """);
            var defaults = new KustomizeRenderer(new ToolRunner(_repo.Options(kubectl: fake)));
            var tuned = new KustomizeRenderer(new ToolRunner(_repo.Options(kubectl: fake) with { ToolGoGC = "off", ToolGoMemoryLimit = "64MiB" }));

            var seen = (await defaults.RenderAsync(_repo.Request("apps/web/overlays/dev"), CancellationToken.None)).Single().Text;
            var seenTuned = (await tuned.RenderAsync(_repo.Request("apps/web/overlays/dev"), CancellationToken.None)).Single().Text;

            Assert.Contains("gogc: \"400\"", seen);
            Assert.Contains("memlimit: \"512MiB\"", seen);
            Assert.Contains("secret: \"\"", seen);
            Assert.Contains("gogc: \"off\"", seenTuned);
            Assert.Contains("memlimit: \"64MiB\"", seenTuned);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITOPS_TEST_OPERATOR_SECRET", null);
        }
    }
}
