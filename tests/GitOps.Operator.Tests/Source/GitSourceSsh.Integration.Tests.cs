using GitOps.Operator.Source;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>Skips (with the reason) where Debian's sshd cannot run; installs openssh-server with apt when missing and root.</summary>
public sealed class SshFactAttribute : FactAttribute
{
    public SshFactAttribute()
    {
        if (GitSshServer.UnavailableReason is { } reason) Skip = reason;
    }
}

[Trait("Category", "Integration")]
public sealed class GitSourceSshIntegrationTests
{
    [SshFact]
    public async Task ResolveAndCheckout_SshKeyAndKnownHost_Succeeds()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        await using var ssh = await GitSshServer.StartAsync();
        var spec = new SourceSpec(ssh.Url(ctx.Server.RepoPath("config")), "main", RepoCredentials.Ssh(ssh.ClientPrivateKey, ssh.KnownHosts));

        var commit = await ctx.Source.ResolveAsync(spec, CancellationToken.None);
        var snapshot = await ctx.Source.CheckoutAsync(spec, commit, CancellationToken.None);
        var again = await ctx.Source.CheckoutAsync(spec, commit, CancellationToken.None);

        Assert.Equal(await ctx.Work.HeadAsync(), commit);
        Assert.Equal(snapshot, again);
        Assert.True(File.Exists(Path.Combine(snapshot.Directory, "apps/web/deployment.yaml")));
        Assert.Equal(1, ctx.Source.FetchCount);
    }

    public static TheoryData<string, string, SourceFailureReason> Refused_TestData() => new()
    {
        { "unknown host (empty known_hosts)", "known-hosts:empty", SourceFailureReason.HostKeyRejected },
        { "host key differs from known_hosts", "known-hosts:wrong", SourceFailureReason.HostKeyRejected },
        { "client key not authorised", "key:other", SourceFailureReason.AuthenticationFailed },
    };

    [SshFact]
    public async Task ResolveAndCheckout_BadHostOrKey_Refused()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        await using var ssh = await GitSshServer.StartAsync();
        var otherKey = await OtherKeyAsync();
        foreach (var row in Refused_TestData())
        {
            var (caseName, variant, expected) = ((string)row[0], (string)row[1], (SourceFailureReason)row[2]);
            var credentials = variant switch
            {
                "known-hosts:empty" => RepoCredentials.Ssh(ssh.ClientPrivateKey, ""),
                "known-hosts:wrong" => RepoCredentials.Ssh(ssh.ClientPrivateKey, ssh.WrongKnownHosts),
                _ => RepoCredentials.Ssh(otherKey, ssh.KnownHosts),
            };
            var spec = new SourceSpec(ssh.Url(ctx.Server.RepoPath("config")), "main", credentials);

            var resolve = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.ResolveAsync(spec, CancellationToken.None));
            var checkout = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.CheckoutAsync(spec, new string('b', 40), CancellationToken.None));

            Assert.True(expected == resolve.Reason, $"{caseName}: resolve gave {resolve.Reason}: {resolve.Message}");
            Assert.True(expected == checkout.Reason, $"{caseName}: checkout gave {checkout.Reason}: {checkout.Message}");
            Assert.DoesNotContain("PRIVATE KEY", resolve.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ResolveAsync_SshUrlWithoutKey_ThrowsCredentialsUnusable()
    {
        using var source = new GitSource(GitSourceOptions.Default);

        var e = await Assert.ThrowsAsync<SourceException>(() => source.ResolveAsync(new SourceSpec("git@git.example.com:org/repo.git", "main"), CancellationToken.None));

        Assert.Equal(SourceFailureReason.CredentialsUnusable, e.Reason);
    }

    /// <summary>A fresh ed25519 private key the test sshd does not authorise.</summary>
    internal static async Task<string> OtherKeyAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "gitops-otherkey-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return await File.ReadAllTextAsync(path);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".pub");
        }
    }
}
