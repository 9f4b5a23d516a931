using GitOps.Operator.Applications;
using GitOps.Operator.Render;
using GitOps.Operator.Source;
using GitOps.Operator.Tests.Render;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>
/// Charts from an OCI registry on loopback (oci://host:port/charts + chart "web"), pushed as Helm
/// pushes them: exact versions, ranges over paged tags, the bearer-token flow, blob redirects that
/// must not carry the credentials, and the archive fetched once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OciChartSourceTests : IAsyncLifetime
{
    private const string User = "puller";
    private const string Password = "oci-hunter2";
    private readonly RenderRepo _scratch = new();
    private OciRegistryServer _open = null!;
    private OciRegistryServer _locked = null!;

    public async Task InitializeAsync()
    {
        _open = await OciRegistryServer.StartAsync();
        _locked = await OciRegistryServer.StartAsync(User, Password);
        foreach (var version in new[] { "0.1.0", "0.2.0", "0.2.1", "1.0.0" })
        {
            var dir = Path.Combine(_scratch.Work, "src", version);
            foreach (var (path, text) in Samples.Chart("web", version, "built-" + version))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
                await File.WriteAllTextAsync(Path.Combine(dir, path), text);
            }
            await _open.PushChartAsync("charts", Path.Combine(dir, "web"));
            await _locked.PushChartAsync("charts", Path.Combine(dir, "web"));
        }
    }

    public async Task DisposeAsync()
    {
        await _open.DisposeAsync();
        await _locked.DisposeAsync();
        _scratch.Dispose();
    }

    private HelmChartSource Source() => new(_scratch.Options().Charts, TimeProvider.System);

    private async Task<string> RenderAsync(SourceSnapshot snapshot)
    {
        var request = new RenderRequest(snapshot.Directory, ".", new SourceSpecModel { Chart = "web" }, "dest", RenderLimits.Default) { ApplicationName = "rel" };
        return Assert.Single(await new HelmRenderer(new ToolRunner(_scratch.Options())).RenderAsync(request, CancellationToken.None)).Text;
    }

    [Fact]
    public async Task Fixture_HelmItselfPullsFromIt()
    {
        var into = Directory.CreateDirectory(Path.Combine(_scratch.Work, "pulled")).FullName;
        var env = new Dictionary<string, string> { ["HOME"] = _scratch.Work, ["HELM_CACHE_HOME"] = Path.Combine(_scratch.Work, ".hc"), ["HELM_CONFIG_HOME"] = Path.Combine(_scratch.Work, ".hcfg") };

        var pull = await ProcessRunner.RunAsync(ToolPaths.Helm, ["pull", $"oci://{_open.Host}/charts/web", "--version", "0.2.1", "--plain-http", "-d", into], environment: env);

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.True(File.Exists(Path.Combine(into, "web-0.2.1.tgz")));
    }

    public static TheoryData<string, string, string> Version_TestData => new()
    {
        { "exact version", "0.1.0", "0.1.0" },
        { "tilde range", "~0.2", "0.2.1" },
        { "caret range below 1", "^0.2.0", "0.2.1" },
        { "any", "*", "1.0.0" },
        { "no revision is the newest", "", "1.0.0" },
    };

    [Theory]
    [MemberData(nameof(Version_TestData))]
    public async Task FetchAsync_VersionOrRange_RendersThatVersion(string caseName, string targetRevision, string expected)
    {
        _ = caseName;
        _open.TagsPageSize = 1; // every tag on a page of its own: the Link header is followed

        var snapshot = await Source().FetchAsync($"oci://{_open.Host}/charts", "web", targetRevision, null, force: false, CancellationToken.None);

        Assert.Equal(expected, snapshot.Commit);
        Assert.Contains($"chartVersion: \"{expected}\"", await RenderAsync(snapshot));
    }

    [Fact]
    public async Task FetchAsync_TokenRealmAndRedirectedBlob_CredentialsOnlyToTheRegistry()
    {
        _locked.RedirectBlobs = true;

        var snapshot = await Source().FetchAsync($"oci://{_locked.Host}/charts", "web", "~0.2", new RepoCredentials { Username = User, Password = Password }, force: false, CancellationToken.None);

        Assert.Equal("0.2.1", snapshot.Commit);
        Assert.Contains("built-0.2.1", await RenderAsync(snapshot));
        Assert.Contains(_locked.Requests, r => r.StartsWith("GET /token", StringComparison.Ordinal));
        Assert.Contains(_locked.Requests, r => r.StartsWith("GET /cdn/sha256:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchAsync_WrongPassword_AuthenticationFailedWithoutThePassword()
    {
        var e = await Assert.ThrowsAsync<SourceException>(() => Source().FetchAsync($"oci://{_locked.Host}/charts", "web", "0.1.0",
            new RepoCredentials { Username = User, Password = "wrong-" + Password }, force: false, CancellationToken.None));

        Assert.Equal(SourceFailureReason.AuthenticationFailed, e.Reason);
        Assert.DoesNotContain(Password, e.Message);
    }

    public static TheoryData<string, string, bool> WrongPasswordBesideGood_TestData => new()
    {
        { "exact version, good app first", "0.1.0", true },
        { "exact version, wrong one first", "0.1.0", false },
        { "range, good app first", "~0.2", true },
        { "range, wrong one first", "~0.2", false },
    };

    /// <summary>Trust boundaries, point 1: a chart cached for one set of credentials is never served to another.</summary>
    [Theory]
    [MemberData(nameof(WrongPasswordBesideGood_TestData))]
    public async Task FetchAsync_WrongPasswordBesideAGoodOne_RefusedWhateverTheOrder(string caseName, string targetRevision, bool goodFirst)
    {
        var source = Source();
        var good = new RepoCredentials { Username = User, Password = Password };
        var wrong = new RepoCredentials { Username = User, Password = "wrong-" + Password };
        Task Good() => source.FetchAsync($"oci://{_locked.Host}/charts", "web", targetRevision, good, force: false, CancellationToken.None);
        async Task Wrong()
        {
            var e = await Assert.ThrowsAsync<SourceException>(() => source.FetchAsync($"oci://{_locked.Host}/charts", "web", targetRevision, wrong, force: false, CancellationToken.None));
            Assert.True(e.Reason == SourceFailureReason.AuthenticationFailed, $"{caseName}: {e}");
        }

        if (goodFirst) await Good();
        await Wrong();
        await Good();
        await Wrong();
    }

    [Fact]
    public async Task FetchAsync_SameVersionAgain_NoRequestAndTheSameDirectory()
    {
        var source = Source();
        var first = await source.FetchAsync($"oci://{_open.Host}/charts", "web", "0.2.0", null, force: false, CancellationToken.None);
        var requests = _open.Requests.Count;

        var second = await source.FetchAsync($"oci://{_open.Host}/charts", "web", "0.2.0", null, force: false, CancellationToken.None);
        var forced = await source.FetchAsync($"oci://{_open.Host}/charts", "web", "0.2.0", null, force: true, CancellationToken.None);

        Assert.Equal(first.Directory, second.Directory);
        Assert.Equal(first.Directory, forced.Directory);
        Assert.Equal(requests + 1, _open.Requests.Count); // the forced one reads the manifest again, not the archive
        Assert.Contains("/manifests/", _open.Requests.Last());
    }

    public static TheoryData<string, string, string, SourceFailureReason> Failure_TestData => new()
    {
        { "unknown version", "charts", "9.9.9", SourceFailureReason.RevisionNotFound },
        { "no version in range", "charts", "^2.0.0", SourceFailureReason.RevisionNotFound },
        { "unknown repository", "elsewhere", "0.1.0", SourceFailureReason.RevisionNotFound },
    };

    [Theory]
    [MemberData(nameof(Failure_TestData))]
    public async Task FetchAsync_Missing_ClearSourceError(string caseName, string path, string targetRevision, SourceFailureReason reason)
    {
        _ = caseName;
        var e = await Assert.ThrowsAsync<SourceException>(() => Source().FetchAsync($"oci://{_open.Host}/{path}", "web", targetRevision, null, force: false, CancellationToken.None));

        Assert.Equal(reason, e.Reason);
        Assert.Contains($"oci://{_open.Host}/{path}/web", e.Message);
    }
}
