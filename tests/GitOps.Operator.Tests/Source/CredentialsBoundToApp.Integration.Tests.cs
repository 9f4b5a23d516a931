using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Controller;
using GitOps.Operator.Source;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>
/// Trust boundaries, point 1: a commit or a cached tree reaches an Application only after that
/// Application's own credentials were accepted by the remote. Two parties in every case: one with
/// good credentials, one with bad, on the same repository and revision, in both orders.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CredentialsBoundToAppIntegrationTests
{
    private const string User = "deployer";
    private const string Password = "g00d-Pa55word-for-the-test";
    private const string Token = "tok_live_good_0123456789";

    public static TheoryData<string, string, string, bool, bool> TwoApps_TestData() => new()
    {
        // case, server auth, bad credential, full SHA?, good app first?
        { "wrong password after a good one", "basic", "password", false, true },
        { "wrong password before a good one", "basic", "password", false, false },
        { "wrong password, full SHA, after a good one", "basic", "password", true, true },
        { "missing password (user only) after a good one", "basic", "user-only", false, true },
        { "bearer token where basic is wanted, after a good one", "basic", "token", false, true },
        { "wrong token after a good one", "bearer", "token", false, true },
        { "wrong token before a good one", "bearer", "token", false, false },
        { "wrong token, full SHA, after a good one", "bearer", "token", true, true },
    };

    [Theory]
    [MemberData(nameof(TwoApps_TestData))]
    public async Task FetchAsync_BadCredentialsBesideGoodOnes_RefusedWhateverTheOrder(string caseName, string serverAuth, string bad, bool fullSha, bool goodFirst)
    {
        await using var ctx = serverAuth == "basic"
            ? await SourceTestContext.StartAsync(basicUser: User, basicPassword: Password)
            : await SourceTestContext.StartAsync(bearerToken: Token);
        var secrets = new SecretsApi();
        secrets.Put("team", "good", serverAuth == "basic" ? new() { ["username"] = User, ["password"] = Password } : new() { ["bearerToken"] = Token });
        secrets.Put("team", "bad", bad switch
        {
            "password" => new() { ["username"] = User, ["password"] = "wrong-" + Password },
            "user-only" => new() { ["username"] = User },
            _ => new() { ["bearerToken"] = "wrong-" + Token },
        });
        var resolver = new SourceResolver(ctx.Source, secrets, TimeProvider.System);
        var revision = fullSha ? await ctx.Work.HeadAsync() : "main";

        async Task Good() => Assert.Equal(await ctx.Work.HeadAsync(), (await resolver.FetchAsync("team", Source(ctx, "good", revision), TimeSpan.FromHours(1), false, null, default)).Commit);
        async Task Bad()
        {
            var e = await Assert.ThrowsAsync<SourceException>(() => resolver.FetchAsync("team", Source(ctx, "bad", revision), TimeSpan.FromHours(1), false, null, default));
            Assert.True(e.Reason == SourceFailureReason.AuthenticationFailed, $"{caseName}: {e}");
            Assert.Contains("from Secret team/bad was refused", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
        }

        if (goodFirst)
        {
            await Good();
            await Bad();
        }
        else
        {
            await Bad();
            await Good();
        }
        await Bad(); // and again, with the good app's answer and tree cached
        await Good();
    }

    [Fact]
    public async Task FetchAsync_SameCredentialsConcurrently_OneListingOneFetch()
    {
        await using var ctx = await SourceTestContext.StartAsync(basicUser: User, basicPassword: Password);
        var secrets = new SecretsApi();
        secrets.Put("team", "good", new() { ["username"] = User, ["password"] = Password });
        var resolver = new SourceResolver(ctx.Source, secrets, TimeProvider.System);
        var listingsBefore = AcceptedListings(ctx);

        var snapshots = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => resolver.FetchAsync("team", Source(ctx, "good", "main"), TimeSpan.FromHours(1), false, null, default))));

        Assert.All(snapshots, s => Assert.Equal(snapshots[0], s));
        Assert.Equal(1, ctx.Source.FetchCount);
        // One ls for all six, plus the fetch's own ref advertisement (401 challenges not counted); a listing that a
        // signal interrupts under a loaded machine is made once more (InterruptedCallRetry), never once per caller (7).
        Assert.InRange(AcceptedListings(ctx) - listingsBefore, 2, 3);
    }

    [Fact]
    public async Task FetchAsync_SecretChangedOrDeleted_CountsAtTheNextReconcile()
    {
        await using var ctx = await SourceTestContext.StartAsync(basicUser: User, basicPassword: Password);
        var secrets = new SecretsApi();
        secrets.Put("team", "creds", new() { ["username"] = User, ["password"] = Password });
        var resolver = new SourceResolver(ctx.Source, secrets, TimeProvider.System);
        var source = Source(ctx, "creds", "main");
        await resolver.FetchAsync("team", source, TimeSpan.FromHours(1), false, null, default);

        secrets.Put("team", "creds", new() { ["username"] = User, ["password"] = "rotated-away" });
        var wrong = await Assert.ThrowsAsync<SourceException>(() => resolver.FetchAsync("team", source, TimeSpan.FromHours(1), false, null, default));
        secrets.Delete("team", "creds");
        var missing = await Assert.ThrowsAsync<SourceException>(() => resolver.FetchAsync("team", source, TimeSpan.FromHours(1), false, null, default));
        secrets.Put("team", "creds", new() { ["unrelated"] = "x" });
        var empty = await Assert.ThrowsAsync<SourceException>(() => resolver.FetchAsync("team", source, TimeSpan.FromHours(1), false, null, default));

        Assert.Equal(SourceFailureReason.AuthenticationFailed, wrong.Reason);
        Assert.Contains("username/password from Secret team/creds was refused", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(SourceFailureReason.CredentialsUnusable, missing.Reason);
        Assert.Contains("Secret team/creds named by spec.source.secretRef does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Equal(SourceFailureReason.CredentialsUnusable, empty.Reason);
        Assert.Contains("has none of the keys", empty.Message, StringComparison.Ordinal);
    }

    /// <summary>A new Application does not take a commit resolved before it existed (a path pushed since would look missing).</summary>
    [Fact]
    public async Task FetchAsync_ResolvedBeforeTheAppExisted_ResolvedAgain()
    {
        await using var ctx = await SourceTestContext.StartAsync(basicUser: User, basicPassword: Password);
        var secrets = new SecretsApi();
        secrets.Put("team", "good", new() { ["username"] = User, ["password"] = Password });
        var resolver = new SourceResolver(ctx.Source, secrets, TimeProvider.System);
        var old = await resolver.FetchAsync("team", Source(ctx, "good", "main"), TimeSpan.FromHours(1), false, null, default);
        ctx.Work.Write("apps/new/cm.yaml", "kind: ConfigMap\n");
        var pushed = await ctx.Work.CommitAndPushAsync("a new path");
        var created = DateTimeOffset.UtcNow;

        var cached = await resolver.FetchAsync("team", Source(ctx, "good", "main"), TimeSpan.FromHours(1), false, null, default);
        var fresh = await resolver.FetchAsync("team", Source(ctx, "good", "main"), TimeSpan.FromHours(1), false, null, default, resolvedNotBefore: created);

        Assert.Equal(old.Commit, cached.Commit); // an existing app waits for its interval (or a webhook)
        Assert.Equal(pushed, fresh.Commit);
    }

    [SshFact]
    public async Task FetchAsync_WrongSshKeyBesideAGoodOne_Refused()
    {
        await using var ctx = await SourceTestContext.StartAsync();
        await using var ssh = await GitSshServer.StartAsync();
        var secrets = new SecretsApi();
        secrets.Put("team", "good", new() { ["sshPrivateKey"] = ssh.ClientPrivateKey, ["knownHosts"] = ssh.KnownHosts });
        secrets.Put("team", "bad", new() { ["sshPrivateKey"] = await GitSourceSshIntegrationTests.OtherKeyAsync(), ["knownHosts"] = ssh.KnownHosts });
        var resolver = new SourceResolver(ctx.Source, secrets, TimeProvider.System);
        var url = ssh.Url(ctx.Server.RepoPath("config"));
        var good = new SourceSpecModel { RepoURL = url, TargetRevision = "main", SecretRef = new SecretRefSpec { Name = "good" } };
        var bad = good with { SecretRef = new SecretRefSpec { Name = "bad" } };

        var snapshot = await resolver.FetchAsync("team", good, TimeSpan.FromHours(1), false, null, default);
        var e = await Assert.ThrowsAsync<SourceException>(() => resolver.FetchAsync("team", bad, TimeSpan.FromHours(1), false, null, default));

        Assert.Equal(await ctx.Work.HeadAsync(), snapshot.Commit);
        Assert.Equal(SourceFailureReason.AuthenticationFailed, e.Reason);
        Assert.Contains("SSH key from Secret team/bad was refused", e.Message, StringComparison.Ordinal);
    }

    private static int AcceptedListings(SourceTestContext ctx) =>
        ctx.Server.RequestLog.Count(r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("/info/refs", StringComparison.Ordinal) && r.EndsWith(" 200", StringComparison.Ordinal));

    private static SourceSpecModel Source(SourceTestContext ctx, string secret, string revision) =>
        new() { RepoURL = ctx.RepoUrl, TargetRevision = revision, SecretRef = new SecretRefSpec { Name = secret } };

    /// <summary>Serves Secrets as the API does (GET by path, 404 as null), and nothing else.</summary>
    private sealed class SecretsApi : IKubeApi
    {
        private readonly Dictionary<string, JsonObject> _secrets = new(StringComparer.Ordinal);

        public void Put(string ns, string name, Dictionary<string, string> data)
        {
            var encoded = new JsonObject();
            foreach (var (k, v) in data) encoded[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v));
            lock (_secrets) _secrets[$"/api/v1/namespaces/{ns}/secrets/{name}"] = new JsonObject { ["kind"] = "Secret", ["data"] = encoded };
        }

        public void Delete(string ns, string name)
        {
            lock (_secrets) _secrets.Remove($"/api/v1/namespaces/{ns}/secrets/{name}");
        }

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct)
        {
            lock (_secrets) return Task.FromResult(_secrets.TryGetValue(path, out var s) ? (JsonObject?)s.DeepClone().AsObject() : null);
        }

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => throw new NotSupportedException(path);

        public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => throw new NotSupportedException(path);

        public IAsyncEnumerable<WatchEvent> WatchAsync(string path, CancellationToken ct) => throw new NotSupportedException(path);
    }
}
