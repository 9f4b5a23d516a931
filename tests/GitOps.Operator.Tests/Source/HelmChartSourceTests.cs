using GitOps.Engine.Model;
using GitOps.Operator.Applications;
using GitOps.Operator.Render;
using GitOps.Operator.Source;
using GitOps.Operator.Tests.Render;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>
/// Charts from a loopback Helm repository whose dependencies are not vendored: those from the same
/// repository are fetched into charts/ before helm runs; any from elsewhere are refused.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HelmChartSourceTests : IAsyncLifetime
{
    private readonly RenderRepo _scratch = new();
    private HelmRepoServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await HelmRepoServer.StartAsync();
        foreach (var version in new[] { "1.0.0", "1.1.0", "2.0.0" })
        {
            var dir = Write($"common-{version}/common", ("Chart.yaml", $"apiVersion: v2\nname: common\nversion: {version}\n"),
                ("templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-common\ndata:\n  version: {{ .Chart.Version | quote }}\n"));
            await _server.PublishAsync(dir);
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _scratch.Dispose();
    }

    public static TheoryData<string, bool> WrongPasswordBesideGood_TestData => new()
    {
        { "good app first", true },
        { "wrong one first", false },
    };

    /// <summary>Trust boundaries, point 1: an index or chart cached for one set of credentials is never served to another.</summary>
    [Theory]
    [MemberData(nameof(WrongPasswordBesideGood_TestData))]
    public async Task FetchAsync_WrongPasswordBesideAGoodOne_RefusedWhateverTheOrder(string caseName, bool goodFirst)
    {
        await using var locked = await HelmRepoServer.StartAsync("reader", "chart-Pa55");
        await locked.PublishAsync(Write("locked/common", ("Chart.yaml", "apiVersion: v2\nname: common\nversion: 1.0.0\n")));
        var source = new HelmChartSource(_scratch.Options().Charts, TimeProvider.System);
        Task Good() => source.FetchAsync(locked.BaseUrl, "common", "^1.0.0", RepoCredentials.Basic("reader", "chart-Pa55"), force: false, CancellationToken.None);
        async Task Wrong()
        {
            var e = await Assert.ThrowsAsync<SourceException>(() => source.FetchAsync(locked.BaseUrl, "common", "^1.0.0", RepoCredentials.Basic("reader", "wrong"), force: false, CancellationToken.None));
            Assert.True(e.Reason == SourceFailureReason.AuthenticationFailed, $"{caseName}: {e}");
            Assert.DoesNotContain("chart-Pa55", e.Message, StringComparison.Ordinal);
        }

        if (goodFirst) await Good();
        await Wrong();
        await Good();
        await Wrong();
    }

    /// <summary>
    /// Trust boundaries: a repository whose index merely claims the digest of a chart another party
    /// fetched with its own credentials is not handed that chart; it must serve (and verify) the archive itself.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FetchAsync_IndexClaimingAnotherRepositorysDigest_NotServedFromTheCache(bool ownerFirst)
    {
        await using var locked = await HelmRepoServer.StartAsync("reader", "chart-Pa55");
        await locked.PublishAsync(Write("private/secret", ("Chart.yaml", "apiVersion: v2\nname: secret\nversion: 1.0.0\n"),
            ("templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: only-for-readers\n")));
        var index = YamlJson.Parse(await File.ReadAllTextAsync(Path.Combine(locked.Root, "index.yaml")), "index.yaml")!;
        var digest = (string)index["entries"]!["secret"]![0]!["digest"]!;
        await File.WriteAllTextAsync(Path.Combine(_server.Root, "index.yaml"),
            $"apiVersion: v1\nentries:\n  secret:\n    - name: secret\n      version: 1.0.0\n      digest: {digest}\n      urls: [secret-1.0.0.tgz]\n");
        var source = new HelmChartSource(_scratch.Options().Charts, TimeProvider.System);
        async Task Owner()
        {
            var snapshot = await source.FetchAsync(locked.BaseUrl, "secret", "1.0.0", RepoCredentials.Basic("reader", "chart-Pa55"), force: false, CancellationToken.None);
            Assert.True(File.Exists(Path.Combine(snapshot.Directory, "templates", "cm.yaml")));
        }
        async Task Stranger()
        {
            var e = await Assert.ThrowsAsync<SourceException>(() => source.FetchAsync(_server.BaseUrl, "secret", "1.0.0", null, force: false, CancellationToken.None));
            Assert.Equal(SourceFailureReason.RepositoryNotFound, e.Reason); // its own archive URL answers 404
        }

        if (ownerFirst) await Owner();
        await Stranger();
        await Owner();
        await Stranger();
    }

    private string Write(string dir, params (string Path, string Text)[] files)
    {
        var root = Path.Combine(_scratch.Work, "src", dir);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
            File.WriteAllText(Path.Combine(root, path), text);
        }
        return root;
    }

    /// <summary>Publishes chart "stack" at <paramref name="version"/> with one dependency on "common", not vendored.</summary>
    private async Task PublishStackAsync(string version, string range, string repository, string? lockedVersion = null)
    {
        var files = new List<(string, string)>
        {
            ("Chart.yaml", $"apiVersion: v2\nname: stack\nversion: {version}\ndependencies:\n  - name: common\n    version: \"{range}\"\n    repository: {repository}\n"),
            ("templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-stack\n"),
        };
        if (lockedVersion is not null)
            files.Add(("Chart.lock", $"dependencies:\n- name: common\n  repository: {repository}\n  version: {lockedVersion}\ndigest: sha256:0\ngenerated: \"2026-11-26T00:00:00Z\"\n"));
        await _server.PublishUnvendoredAsync(Write($"stack-{version}/stack", [.. files]), version);
    }

    private async Task<string> RenderAsync(SourceSnapshot snapshot)
    {
        var request = new RenderRequest(snapshot.Directory, ".", new SourceSpecModel { RepoURL = _server.BaseUrl, Chart = "stack" }, "dest", RenderLimits.Default)
        {
            ApplicationName = "rel",
        };
        return Assert.Single(await new HelmRenderer(new ToolRunner(_scratch.Options())).RenderAsync(request, CancellationToken.None)).Text;
    }

    private HelmChartSource Source() => new(_scratch.Options().Charts, TimeProvider.System);

    public static TheoryData<string, string, string?, string> SameRepository_TestData => new()
    {
        { "caret range takes the newest 1.x", "^1.0.0", null, "1.1.0" },
        { "exact version", "1.0.0", null, "1.0.0" },
        { "Chart.lock pins the version", "^1.0.0", "1.0.0", "1.0.0" },
    };

    [Theory]
    [MemberData(nameof(SameRepository_TestData))]
    public async Task FetchAsync_DependencyFromSameRepository_FetchedIntoChartsAndRendered(string caseName, string range, string? locked, string expected)
    {
        _ = caseName;
        await PublishStackAsync("0.1.0", range, _server.BaseUrl + "/", locked);

        var snapshot = await Source().FetchAsync(_server.BaseUrl, "stack", "0.1.0", null, force: false, CancellationToken.None);
        var text = await RenderAsync(snapshot);

        Assert.Equal("0.1.0", snapshot.Commit);
        Assert.Contains("name: rel-stack", text);
        Assert.Contains("name: rel-common", text);
        Assert.Contains($"version: \"{expected}\"", text);
        Assert.True(File.Exists(Path.Combine(snapshot.Directory, "charts", "common", "Chart.yaml")));
    }

    [Fact]
    public async Task FetchAsync_SameChartTwice_DownloadsOnce()
    {
        await PublishStackAsync("0.1.0", "^1.0.0", _server.BaseUrl);
        var source = Source();

        var first = await source.FetchAsync(_server.BaseUrl, "stack", "0.1.0", null, force: false, CancellationToken.None);
        var requests = _server.Requests;
        var second = await source.FetchAsync(_server.BaseUrl, "stack", "0.1.0", null, force: false, CancellationToken.None);

        Assert.Equal(first.Directory, second.Directory);
        Assert.Equal(requests, _server.Requests);
    }

    [Fact]
    public async Task FetchAsync_NoDependencyVersionMatches_SourceErrorNamesTheDependency()
    {
        await PublishStackAsync("0.1.0", "^3.0.0", _server.BaseUrl);

        var e = await Assert.ThrowsAsync<SourceException>(() => Source().FetchAsync(_server.BaseUrl, "stack", "0.1.0", null, force: false, CancellationToken.None));

        Assert.Equal(SourceFailureReason.RevisionNotFound, e.Reason);
        Assert.Contains("dependency \"common\" of stack 0.1.0", e.Message);
        Assert.Contains("^3.0.0", e.Message);
    }

    [Fact]
    public async Task FetchAsync_DependencyFromAnotherRepository_RenderRefusedBeforeHelmRuns()
    {
        await PublishStackAsync("0.1.0", "^1.0.0", "https://user:hunter2@charts.example.com/stable");

        var snapshot = await Source().FetchAsync(_server.BaseUrl, "stack", "0.1.0", null, force: false, CancellationToken.None);
        var runner = new ToolRunner(_scratch.Options());
        var request = new RenderRequest(snapshot.Directory, ".", new SourceSpecModel { RepoURL = _server.BaseUrl, Chart = "stack" }, "dest", RenderLimits.Default);
        var e = await Assert.ThrowsAsync<RenderException>(() => new HelmRenderer(runner).RenderAsync(request, CancellationToken.None));

        Assert.Contains("dependency \"common\"", e.Message);
        Assert.Contains("fetched only from the Helm repository the chart itself comes from", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Equal(0, runner.ProcessesStarted);
    }
}
