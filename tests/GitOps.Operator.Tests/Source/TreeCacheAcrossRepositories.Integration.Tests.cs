using GitOps.Operator.Source;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>
/// The tree cache holds one tree per (repository, commit). A commit SHA is no secret (statuses,
/// Events, notifications and commit statuses show it), so naming another repository's commit
/// beside one's own readable repository must not hand out the tree cached for the other's readers.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TreeCacheAcrossRepositoriesIntegrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CheckoutAsync_CommitOfAnotherRepository_NotFoundWhateverTheOrder(bool privateFirst)
    {
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("apps/web/secret.yaml", "kind: Secret\nprivate: only-config-readers\n");
        var privateCommit = await ctx.Work.CommitAndPushAsync("private content");
        var otherUrl = await ctx.Server.CreateBareRepoAsync("tenant-b");
        using (var other = await GitWorkTree.CloneAsync(otherUrl, ctx.Server.ClientConfig))
        {
            other.Write("README.md", "tenant b\n");
            await other.CommitAndPushAsync("tenant b");
        }

        var owner = ctx.Spec(privateCommit);
        var stranger = new SourceSpec(otherUrl, privateCommit, null);

        async Task OwnerReads()
        {
            var snapshot = await ctx.Source.CheckoutAsync(owner, await ctx.Source.ResolveAsync(owner, default), default);
            Assert.True(File.Exists(Path.Combine(snapshot.Directory, "apps/web/secret.yaml")));
        }

        async Task StrangerRefused()
        {
            var commit = await ctx.Source.ResolveAsync(stranger, default); // the listing of its own repository succeeds
            var e = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.CheckoutAsync(stranger, commit, default));
            Assert.Equal(SourceFailureReason.RevisionNotFound, e.Reason);
        }

        if (privateFirst)
        {
            await OwnerReads();
            await StrangerRefused();
        }
        else
        {
            await StrangerRefused();
            await OwnerReads();
        }
        await StrangerRefused(); // and again, with the owner's tree cached
    }

    [Fact]
    public async Task CheckoutAsync_SameCommitInTwoRepositories_EachGetsItsOwnTree()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        var commit = await ctx.Work.HeadAsync();
        var mirrorUrl = await ctx.Server.CreateBareRepoAsync("mirror");
        await ctx.Work.GitAsync("push", "-q", mirrorUrl, "HEAD:refs/heads/main");

        var original = await ctx.Source.CheckoutAsync(ctx.Spec(commit), commit, default);
        var mirrored = await ctx.Source.CheckoutAsync(new SourceSpec(mirrorUrl, commit, null), commit, default);

        Assert.Equal(commit, mirrored.Commit);
        Assert.NotEqual(original.Directory, mirrored.Directory);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(original.Directory, "apps/web/deployment.yaml")),
            await File.ReadAllTextAsync(Path.Combine(mirrored.Directory, "apps/web/deployment.yaml")));
    }
}
