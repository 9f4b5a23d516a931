using GitOps.Operator.Source;

namespace GitOps.Operator.Tests.Source;

[Trait("Category", "Integration")]
public sealed class GitSourceCredentialsIntegrationTests
{
    private const string User = "deployer";
    private const string Password = "s3cret-Pa55word";
    private const string Token = "tok_live_abcdef123456";

    public static TheoryData<string, RepoCredentials?, SourceFailureReason?> BasicAuth_TestData() => new()
    {
        { "right password", RepoCredentials.Basic(User, Password), null },
        { "wrong password", RepoCredentials.Basic(User, "wrong-" + Password), SourceFailureReason.AuthenticationFailed },
        { "no credentials", null, SourceFailureReason.AuthenticationFailed },
        { "a bearer token where basic is wanted", RepoCredentials.Bearer(Token), SourceFailureReason.AuthenticationFailed },
    };

    public static TheoryData<string, RepoCredentials?, SourceFailureReason?> Bearer_TestData() => new()
    {
        { "right token", RepoCredentials.Bearer(Token), null },
        { "wrong token", RepoCredentials.Bearer(Token + "x"), SourceFailureReason.AuthenticationFailed },
        { "no credentials", null, SourceFailureReason.AuthenticationFailed },
    };

    [Theory]
    [MemberData(nameof(BasicAuth_TestData))]
    public async Task ResolveAndCheckout_BasicAuthServer_SucceedsOnlyWithRightPassword(string caseName, RepoCredentials? credentials, SourceFailureReason? expected)
    {
        await using var ctx = await SourceTestContext.StartAsync(basicUser: User, basicPassword: Password);
        await AssertOutcome(ctx, caseName, credentials, expected);
    }

    [Theory]
    [MemberData(nameof(Bearer_TestData))]
    public async Task ResolveAndCheckout_BearerServer_SucceedsOnlyWithRightToken(string caseName, RepoCredentials? credentials, SourceFailureReason? expected)
    {
        await using var ctx = await SourceTestContext.StartAsync(bearerToken: Token);
        await AssertOutcome(ctx, caseName, credentials, expected);
    }

    [Fact]
    public async Task ResolveAsync_WrongPasswordInUrl_AuthenticationFailedAndUrlRedacted()
    {
        await using var ctx = await SourceTestContext.StartAsync(basicUser: User, basicPassword: Password);
        var wrong = "Wr0ng-" + Password;
        var spec = new SourceSpec(ctx.Server.RepoUrlWithUserInfo("config", User, wrong), "main");

        var e = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.ResolveAsync(spec, CancellationToken.None));

        Assert.Equal(SourceFailureReason.AuthenticationFailed, e.Reason);
        Assert.StartsWith(ctx.RepoUrl, e.Message, StringComparison.Ordinal);
        AssertNoSecret(wrong, e.Message, e.ToString(), spec.ToString());
    }

    [Fact]
    public async Task ResolveAndCheckout_RightPasswordInUrl_Succeeds()
    {
        await using var ctx = await SourceTestContext.StartAsync(basicUser: User, basicPassword: Password);
        var spec = new SourceSpec(ctx.Server.RepoUrlWithUserInfo("config", User, Password), "main");

        var snapshot = await ctx.Source.CheckoutAsync(spec, await ctx.Source.ResolveAsync(spec, CancellationToken.None), CancellationToken.None);

        Assert.Equal(await ctx.Work.HeadAsync(), snapshot.Commit);
        Assert.DoesNotContain(Password, spec.ToString(), StringComparison.Ordinal);
    }

    private static async Task AssertOutcome(SourceTestContext ctx, string caseName, RepoCredentials? credentials, SourceFailureReason? expected)
    {
        var spec = ctx.Spec("main", credentials);
        var head = await ctx.Work.HeadAsync();
        if (expected is null)
        {
            var commit = await ctx.Source.ResolveAsync(spec, CancellationToken.None);
            var snapshot = await ctx.Source.CheckoutAsync(spec, commit, CancellationToken.None);
            Assert.True(head == snapshot.Commit, caseName);
            Assert.True(File.Exists(Path.Combine(snapshot.Directory, "apps/web/deployment.yaml")), caseName);
            return;
        }

        var resolve = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.ResolveAsync(spec, CancellationToken.None));
        var checkout = await Assert.ThrowsAsync<SourceException>(() => ctx.Source.CheckoutAsync(spec, head, CancellationToken.None));
        Assert.True(expected == resolve.Reason, $"{caseName}: resolve gave {resolve.Reason}: {resolve.Message}");
        Assert.True(expected == checkout.Reason, $"{caseName}: checkout gave {checkout.Reason}: {checkout.Message}");
        var rejected = ctx.Server.RequestLog.Count(line => line.EndsWith(" 401", StringComparison.Ordinal));
        Assert.True(rejected <= 6, $"{caseName}: {rejected} rejected requests; a wrong credential must not be replayed");
        foreach (var secret in new[] { credentials?.Password, credentials?.BearerToken, Password, Token })
        {
            if (secret is not null) AssertNoSecret(secret, resolve.Message, resolve.ToString(), checkout.Message, checkout.ToString(), spec.ToString(), credentials?.ToString() ?? "");
        }
    }

    private static void AssertNoSecret(string secret, params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
