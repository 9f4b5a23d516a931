using GitOps.Operator.Source;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>One repository with a branch, tags and a default branch, shared by the resolve table.</summary>
public sealed class ResolveRepositoryFixture : IAsyncLifetime
{
    internal SourceTestContext Context { get; private set; } = null!;

    public Dictionary<string, string> Commits { get; } = [];

    public async Task InitializeAsync()
    {
        Context = await SourceTestContext.StartAsync();
        var work = Context.Work;
        Commits["main-1"] = await work.HeadAsync();
        await work.TagAndPushAsync("v1.0.0");
        await work.TagAndPushAsync("v1.0.1-annotated", "release 1.0.1");
        work.Write("apps/web/service.yaml", "kind: Service\n");
        Commits["main-2"] = await work.CommitAndPushAsync("second commit on main");
        await work.GitAsync("checkout", "-q", "-b", "feature");
        work.Write("apps/web/feature.yaml", "kind: ConfigMap\n");
        Commits["feature"] = await work.CommitAndPushAsync("feature work", "feature");
    }

    public async Task DisposeAsync() => await Context.DisposeAsync();
}

[Trait("Category", "Integration")]
public sealed class GitSourceResolveIntegrationTests(ResolveRepositoryFixture fixture) : IClassFixture<ResolveRepositoryFixture>
{
    public static TheoryData<string, string?, string> Resolve_TestData() => new()
    {
        { "branch main", "main", "main-2" },
        { "branch feature", "feature", "feature" },
        { "full ref name", "refs/heads/feature", "feature" },
        { "lightweight tag", "v1.0.0", "main-1" },
        { "annotated tag peels to its commit", "v1.0.1-annotated", "main-1" },
        { "HEAD is the default branch", "HEAD", "main-2" },
        { "empty is the default branch", "", "main-2" },
        { "null is the default branch", null, "main-2" },
    };

    [Theory]
    [MemberData(nameof(Resolve_TestData))]
    public async Task ResolveAsync_Revision_ReturnsCommit(string caseName, string? revision, string expected)
    {
        var sha = await fixture.Context.Source.ResolveAsync(fixture.Context.Spec(revision), CancellationToken.None);

        Assert.True(fixture.Commits[expected] == sha, $"{caseName}: expected {expected} ({fixture.Commits[expected]}), got {sha}");
    }

    [Fact]
    public async Task ResolveAsync_FullSha_ReturnsItAfterOneListing()
    {
        var sha = fixture.Commits["main-1"].ToUpperInvariant();
        var requestsBefore = fixture.Context.Server.InfoRefsRequests;

        var resolved = await fixture.Context.Source.ResolveAsync(fixture.Context.Spec(sha), CancellationToken.None);

        // The listing proves the credentials before a cached tree of that commit is handed out. One listing, or
        // two when a signal interrupted the first (libgit2 with a server timeout polls, and InterruptedCallRetry lists again).
        Assert.Equal(sha.ToLowerInvariant(), resolved);
        Assert.InRange(fixture.Context.Server.InfoRefsRequests - requestsBefore, 1, 2);
    }

    [Fact]
    public async Task ResolveAsync_MissingBranch_ThrowsRevisionNotFound()
    {
        var e = await Assert.ThrowsAsync<SourceException>(() => fixture.Context.Source.ResolveAsync(fixture.Context.Spec("no-such-branch"), CancellationToken.None));

        Assert.Equal(SourceFailureReason.RevisionNotFound, e.Reason);
        Assert.StartsWith(fixture.Context.RepoUrl, e.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-branch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_MissingRepository_ThrowsRepositoryNotFound()
    {
        var spec = new SourceSpec(fixture.Context.Server.RepoUrl("nope"), "main");

        var e = await Assert.ThrowsAsync<SourceException>(() => fixture.Context.Source.ResolveAsync(spec, CancellationToken.None));

        Assert.Equal(SourceFailureReason.RepositoryNotFound, e.Reason);
    }

    [Fact]
    public async Task ResolveAsync_ThenCheckout_TreeHoldsThatCommitsFiles()
    {
        var source = fixture.Context.Source;
        var spec = fixture.Context.Spec("feature");

        var snapshot = await source.CheckoutAsync(spec, await source.ResolveAsync(spec, CancellationToken.None), CancellationToken.None);

        Assert.Equal(fixture.Commits["feature"], snapshot.Commit);
        Assert.Equal(Path.Combine(fixture.Context.CacheDirectory, "trees", RepoUrl.Parse(fixture.Context.RepoUrl).TreeKey(snapshot.Commit)), snapshot.Directory);
        Assert.Equal("kind: ConfigMap\n", await File.ReadAllTextAsync(Path.Combine(snapshot.Directory, "apps/web/feature.yaml")));
        Assert.Equal("feature work", snapshot.Message);
        Assert.Equal("Test Author <author@example.test>", snapshot.Author);
        Assert.False(Directory.Exists(Path.Combine(snapshot.Directory, ".git")));
    }
}
