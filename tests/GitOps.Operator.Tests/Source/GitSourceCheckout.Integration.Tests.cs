using System.Diagnostics;
using GitOps.Operator.Source;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

[Trait("Category", "Integration")]
public sealed class GitSourceCheckoutIntegrationTests
{
    [Fact]
    public async Task CheckoutAsync_SameCommitTwice_FetchesOnceAndReusesTree()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        var commit = await ctx.Source.ResolveAsync(ctx.Spec(), CancellationToken.None);

        var first = await ctx.Source.CheckoutAsync(ctx.Spec(), commit, CancellationToken.None);
        var uploadPacksAfterFirst = ctx.Server.UploadPackRequests;
        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), commit, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(1, ctx.Source.FetchCount);
        Assert.True(uploadPacksAfterFirst > 0, "the first checkout fetched from the server");
        Assert.Equal(uploadPacksAfterFirst, ctx.Server.UploadPackRequests);
    }

    [Fact]
    public async Task CheckoutAsync_NewCommitPushed_FetchesAgainAndPicksItUp()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        var first = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Source.ResolveAsync(ctx.Spec(), CancellationToken.None), CancellationToken.None);
        var uploadPacksAfterFirst = ctx.Server.UploadPackRequests;

        ctx.Work.Write("apps/web/deployment.yaml", "kind: Deployment\nreplicas: 3\n");
        var pushed = await ctx.Work.CommitAndPushAsync("scale up");
        var resolved = await ctx.Source.ResolveAsync(ctx.Spec(), CancellationToken.None);
        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), resolved, CancellationToken.None);
        var againFirst = await ctx.Source.CheckoutAsync(ctx.Spec(), first.Commit, CancellationToken.None);

        Assert.Equal(pushed, resolved);
        Assert.Equal(pushed, second.Commit);
        Assert.NotEqual(first.Directory, second.Directory);
        Assert.Equal("kind: Deployment\nreplicas: 3\n", await File.ReadAllTextAsync(Path.Combine(second.Directory, "apps/web/deployment.yaml")));
        Assert.Equal("kind: Deployment\n", await File.ReadAllTextAsync(Path.Combine(againFirst.Directory, "apps/web/deployment.yaml")));
        Assert.Equal(2, ctx.Source.FetchCount);
        Assert.True(ctx.Server.UploadPackRequests > uploadPacksAfterFirst, "the new commit was fetched from the server");
    }

    [Fact]
    public async Task CheckoutAsync_OlderCommitAlreadyFetched_DoesNotFetch()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        var older = await ctx.Work.HeadAsync();
        var newer = await ctx.Work.CommitAndPushAsync("second");
        await ctx.Source.CheckoutAsync(ctx.Spec(), newer, CancellationToken.None);

        var snapshot = await ctx.Source.CheckoutAsync(ctx.Spec(), older, CancellationToken.None);

        Assert.Equal(older, snapshot.Commit);
        Assert.Equal(1, ctx.Source.FetchCount);
    }

    [Fact]
    public async Task CheckoutAsync_ConcurrentSameUrl_OneFetchOneTree()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        var commit = await ctx.Source.ResolveAsync(ctx.Spec(), CancellationToken.None);
        // Different spellings of one repository share one cache entry.
        string[] urls = [ctx.RepoUrl, ctx.RepoUrl.TrimEnd('/')[..^4], ctx.RepoUrl + "/", ctx.RepoUrl.Replace("http://", "HTTP://", StringComparison.Ordinal)];

        var snapshots = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => ctx.Source.CheckoutAsync(new SourceSpec(urls[i % urls.Length], "main"), commit, CancellationToken.None))));

        Assert.Single(snapshots.Select(s => s.Directory).Distinct());
        Assert.Equal(1, ctx.Source.FetchCount);
        Assert.Single(Directory.GetDirectories(Path.Combine(ctx.CacheDirectory, "repos")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(ctx.CacheDirectory, "trees"), ".tmp-*"));
    }

    [Fact]
    public async Task CheckoutAsync_SymlinksAndModes_ArePreserved()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("base/values.yaml", "a: 1\n")
            .Symlink("apps/web/values.yaml", "../../base/values.yaml")
            .Symlink("apps/web/escape", "../../../../etc/passwd")
            .WriteExecutable("scripts/gen.sh", "#!/bin/sh\necho hi\n");
        var commit = await ctx.Work.CommitAndPushAsync("links");

        var snapshot = await ctx.Source.CheckoutAsync(ctx.Spec(), commit, CancellationToken.None);

        var link = new FileInfo(Path.Combine(snapshot.Directory, "apps/web/values.yaml"));
        Assert.Equal("../../base/values.yaml", link.LinkTarget);
        Assert.Equal("a: 1\n", await File.ReadAllTextAsync(link.FullName));
        Assert.Equal("../../../../etc/passwd", new FileInfo(Path.Combine(snapshot.Directory, "apps/web/escape")).LinkTarget);
        Assert.True(File.GetUnixFileMode(Path.Combine(snapshot.Directory, "scripts/gen.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(snapshot.Directory, "base/values.yaml")).HasFlag(UnixFileMode.UserExecute));
        // Counted as written (what lets a tool render skip walking a tree without symlinks), and read back from the cache.
        Assert.Equal(2, snapshot.Shape!.Symlinks);
        Assert.Equal(Directory.EnumerateFileSystemEntries(snapshot.Directory, "*", SearchOption.AllDirectories).Count(), snapshot.Shape.Entries);
        Assert.Equal(snapshot.Shape, (await ctx.Source.CheckoutAsync(ctx.Spec(), commit, CancellationToken.None)).Shape);
    }

    [Fact]
    public async Task CheckoutAsync_UnknownCommit_ThrowsRevisionNotFound()
    {
        await using var ctx = await SourceTestContext.StartAsync();

        var e = await Assert.ThrowsAsync<SourceException>(() =>
            ctx.Source.CheckoutAsync(ctx.Spec(), "0123456789abcdef0123456789abcdef01234567", CancellationToken.None));

        Assert.Equal(SourceFailureReason.RevisionNotFound, e.Reason);
    }

    [Fact]
    public async Task CheckoutAsync_NotAFullSha_ThrowsInvalidSpec()
    {
        await using var ctx = await SourceTestContext.StartAsync();

        var e = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.CheckoutAsync(ctx.Spec(), "main", CancellationToken.None));

        Assert.Equal(SourceFailureReason.InvalidSpec, e.Reason);
    }

    [Fact]
    public async Task CheckoutAsync_BeyondCacheBound_EvictsLeastRecentlyUsedTrees()
    {
        await using var ctx = await SourceTestContext.StartAsync(maxCacheBytes: 1);
        var big = new string('x', 64 * 1024);
        var commits = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ctx.Work.Write("data.txt", big + i);
            commits.Add(await ctx.Work.CommitAndPushAsync($"commit {i}"));
        }

        var snapshots = new List<SourceSnapshot>();
        foreach (var commit in commits)
        {
            snapshots.Add(await ctx.Source.CheckoutAsync(ctx.Spec(), commit, CancellationToken.None));
        }

        Assert.False(Directory.Exists(snapshots[0].Directory), "oldest tree evicted");
        Assert.False(Directory.Exists(snapshots[1].Directory), "older tree evicted");
        Assert.True(Directory.Exists(snapshots[2].Directory), "the tree just returned stays");
        Assert.True(Directory.Exists(Path.Combine(ctx.CacheDirectory, "repos")), "the repository in use stays");
        Assert.Single(Directory.GetDirectories(Path.Combine(ctx.CacheDirectory, "repos")));

        // An evicted tree comes back on demand.
        var again = await ctx.Source.CheckoutAsync(ctx.Spec(), commits[0], CancellationToken.None);
        Assert.Equal(big + 0, await File.ReadAllTextAsync(Path.Combine(again.Directory, "data.txt")));
    }

    [Fact]
    public async Task CheckoutAsync_UnderGenerousBound_KeepsEverything()
    {
        await using var ctx = await SourceTestContext.StartAsync(maxCacheBytes: 100L * 1024 * 1024);
        var first = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.HeadAsync(), CancellationToken.None);
        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("two"), CancellationToken.None);

        Assert.Equal(0, ctx.Source.EvictNow());
        Assert.True(Directory.Exists(first.Directory));
        Assert.True(Directory.Exists(second.Directory));
    }

    [Fact]
    public async Task CheckoutAsync_FetchOutlivesDeadline_RepositoryStaysLockedUntilTheFetchEnds()
    {
        // A 1 s fetch deadline; libgit2's own stall timeout (the test process's shortest) is far longer.
        await using var ctx = await SourceTestContext.StartAsync(timeouts: new GitSourceTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        var commit = await ctx.Work.CommitAndPushAsync("second");
        ctx.Server.Fault = GitServerFault.HangMidFetch;

        var timedOut = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.CheckoutAsync(ctx.Spec(), commit, CancellationToken.None));
        ctx.Server.Fault = GitServerFault.None;

        // The abandoned fetch still runs (the server hangs): no other fetch may clean up its temp pack or write the repository.
        Assert.Equal(SourceFailureReason.Timeout, timedOut.Reason);
        Assert.True(ctx.Source.IsRepositoryLocked(ctx.RepoUrl), "the repository's lock was released while its fetch still ran");
        ctx.Server.EndHangs();
        await Eventually.WaitAsync(() => Task.FromResult(!ctx.Source.IsRepositoryLocked(ctx.RepoUrl)), TimeSpan.FromSeconds(30), "the lock released once the abandoned fetch ended");
        var snapshot = await ctx.Source.CheckoutAsync(ctx.Spec(), commit, CancellationToken.None);
        Assert.Equal(commit, snapshot.Commit);
    }

    [Fact]
    public async Task ResolveAsync_UnreachableHost_ThrowsUnreachableQuickly()
    {
        var cache = Path.Combine(Path.GetTempPath(), "gitops-unreachable-" + Guid.NewGuid().ToString("N"));
        using var cleanup = new DirectoryCleanup(cache);
        using var source = new GitSource(GitSourceOptions.Default with { CacheDirectory = cache });
        var port = ClosedPort();
        var spec = new SourceSpec($"http://127.0.0.1:{port}/repo.git", "main");
        var clock = Stopwatch.StartNew();

        var resolve = await Assert.ThrowsAsync<SourceException>(() => source.ResolveAsync(spec, CancellationToken.None));
        var checkout = await Assert.ThrowsAsync<SourceException>(() => source.CheckoutAsync(spec, new string('a', 40), CancellationToken.None));

        Assert.Equal(SourceFailureReason.Unreachable, resolve.Reason);
        Assert.Equal(SourceFailureReason.Unreachable, checkout.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Deletes a test's temp directory when the test ends, whatever happened.</summary>
internal sealed class DirectoryCleanup(string path) : IDisposable
{
    public void Dispose()
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
