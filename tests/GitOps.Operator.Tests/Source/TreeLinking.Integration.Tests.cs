using System.Diagnostics;
using GitOps.Operator.Source;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>
/// A new commit's tree hard-links the files an earlier complete tree of the same repository holds
/// unchanged (same blob, same mode), and writes only the rest: what a push costs on disk is the files it
/// changed. Another repository's tree is never a source of links, whatever it holds.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TreeLinkingIntegrationTests
{
    [Fact]
    public async Task CheckoutAsync_SecondCommit_LinksUnchangedFilesAndWritesChangedOnes()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("apps/api/deployment.yaml", "kind: Deployment\nname: api\n").Write("apps/web/config.yaml", "greeting: one\n");
        var first = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("first"), default);
        ctx.Work.Write("apps/web/config.yaml", "greeting: two\n").Write("apps/web/new.yaml", "kind: ConfigMap\n");
        var linkedBefore = ctx.Source.LinkedFileCount;

        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("second"), default);

        Assert.Equal(2, ctx.Source.LinkedFileCount - linkedBefore); // apps/api/deployment.yaml and apps/web/deployment.yaml
        Assert.Equal(Inode(first, "apps/api/deployment.yaml"), Inode(second, "apps/api/deployment.yaml"));
        Assert.Equal(Inode(first, "apps/web/deployment.yaml"), Inode(second, "apps/web/deployment.yaml"));
        Assert.NotEqual(Inode(first, "apps/web/config.yaml"), Inode(second, "apps/web/config.yaml"));
        Assert.Equal("greeting: one\n", await File.ReadAllTextAsync(Path.Combine(first.Directory, "apps/web/config.yaml")));
        Assert.Equal("greeting: two\n", await File.ReadAllTextAsync(Path.Combine(second.Directory, "apps/web/config.yaml")));
        Assert.Equal("kind: ConfigMap\n", await File.ReadAllTextAsync(Path.Combine(second.Directory, "apps/web/new.yaml")));
        Assert.Equal("kind: Deployment\nname: api\n", await File.ReadAllTextAsync(Path.Combine(second.Directory, "apps/api/deployment.yaml")));
    }

    [Fact]
    public async Task CheckoutAsync_UnchangedSubtreeWithLinksAndModes_LinkedAsItIs()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("shared/base/values.yaml", "a: 1\n").WriteExecutable("shared/scripts/gen.sh", "#!/bin/sh\n")
            .Symlink("shared/values.yaml", "base/values.yaml");
        var first = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("first"), default);
        ctx.Work.Write("README.md", "changed\n");

        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("second"), default);

        Assert.Equal(Inode(first, "shared/base/values.yaml"), Inode(second, "shared/base/values.yaml"));
        Assert.Equal(Inode(first, "shared/scripts/gen.sh"), Inode(second, "shared/scripts/gen.sh"));
        Assert.True(File.GetUnixFileMode(Path.Combine(second.Directory, "shared/scripts/gen.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("base/values.yaml", new FileInfo(Path.Combine(second.Directory, "shared/values.yaml")).LinkTarget);
        Assert.Equal("a: 1\n", await File.ReadAllTextAsync(Path.Combine(second.Directory, "shared/values.yaml")));
        Assert.Equal(1, second.Shape!.Symlinks);
        Assert.Equal(Directory.EnumerateFileSystemEntries(second.Directory, "*", SearchOption.AllDirectories).Count(), second.Shape.Entries);
        Assert.Equal(first.Shape!.Entries + 1, second.Shape.Entries); // README.md is new
    }

    [Fact]
    public async Task CheckoutAsync_SameBlobWithAnotherMode_WrittenWithItsOwnMode()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("scripts/gen.sh", "#!/bin/sh\necho hi\n");
        var first = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("plain"), default);
        ctx.Work.WriteExecutable("scripts/gen.sh", "#!/bin/sh\necho hi\n");

        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("executable"), default);

        Assert.NotEqual(Inode(first, "scripts/gen.sh"), Inode(second, "scripts/gen.sh"));
        Assert.True(File.GetUnixFileMode(Path.Combine(second.Directory, "scripts/gen.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(first.Directory, "scripts/gen.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task CheckoutAsync_SameBlobTwiceInOneTree_WrittenOnce()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("envs/dev/app.yaml", "kind: Same\n").Write("envs/prod/app.yaml", "kind: Same\n");

        var snapshot = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("twice"), default);

        Assert.Equal(Inode(snapshot, "envs/dev/app.yaml"), Inode(snapshot, "envs/prod/app.yaml"));
        Assert.Equal("kind: Same\n", await File.ReadAllTextAsync(Path.Combine(snapshot.Directory, "envs/prod/app.yaml")));
    }

    [Fact]
    public async Task CheckoutAsync_EarlierTreeLosesAFile_NewTreeWritesIt()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("apps/api/deployment.yaml", "kind: Deployment\nname: api\n");
        var first = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("first"), default);
        File.Delete(Path.Combine(first.Directory, "apps/api/deployment.yaml")); // as if an eviction were under way
        ctx.Work.Write("README.md", "changed\n");

        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("second"), default);

        Assert.Equal("kind: Deployment\nname: api\n", await File.ReadAllTextAsync(Path.Combine(second.Directory, "apps/api/deployment.yaml")));
        Assert.Equal(Inode(first, "apps/web/deployment.yaml"), Inode(second, "apps/web/deployment.yaml"));
    }

    [Fact]
    public async Task CheckoutAsync_AnotherRepositoryHoldsTheSameFiles_NeverLinkedFromIt()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        var commit = await ctx.Work.HeadAsync();
        var mirrorUrl = await ctx.Server.CreateBareRepoAsync("mirror");
        await ctx.Work.GitAsync("push", "-q", mirrorUrl, "HEAD:refs/heads/main");
        var mirrored = await ctx.Source.CheckoutAsync(new SourceSpec(mirrorUrl, commit, null), commit, default);
        var linkedBefore = ctx.Source.LinkedFileCount;

        var original = await ctx.Source.CheckoutAsync(ctx.Spec(commit), commit, default);
        ctx.Work.Write("README.md", "changed\n");
        var next = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("next"), default);

        Assert.NotEqual(Inode(mirrored, "apps/web/deployment.yaml"), Inode(original, "apps/web/deployment.yaml"));
        Assert.Equal(Inode(original, "apps/web/deployment.yaml"), Inode(next, "apps/web/deployment.yaml"));
        Assert.NotEqual(Inode(mirrored, "apps/web/deployment.yaml"), Inode(next, "apps/web/deployment.yaml"));
        Assert.Equal(1, ctx.Source.LinkedFileCount - linkedBefore);
    }

    [Fact]
    public async Task CheckoutAsync_RecordsTheTreeBytes_LinkedFilesCounted_SymlinksNot()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var ctx = await SourceTestContext.StartAsync();
        ctx.Work.Write("envs/dev/app.yaml", "kind: Same\n").Write("envs/prod/app.yaml", "kind: Same\n").Symlink("envs/link.yaml", "dev/app.yaml");
        await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("first"), default);
        ctx.Work.Write("envs/dev/app.yaml", "kind: Changed\n");

        var second = await ctx.Source.CheckoutAsync(ctx.Spec(), await ctx.Work.CommitAndPushAsync("second"), default);

        var walked = new DirectoryInfo(second.Directory)
            .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Sum(f => f.Length);
        Assert.Equal(walked, TreeMaterializer.RecordedBytes(second.Directory));
    }

    private static string Inode(SourceSnapshot snapshot, string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%d:%i", Path.Combine(snapshot.Directory, path)]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        Assert.Equal(0, stat.ExitCode);
        return inode;
    }
}
