using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>Issue 17: TokenReview and SubjectAccessReview answers are cached by a hash of the token, never shared between people.</summary>
public sealed class DashboardAccessTests
{
    /// <summary>An API server that knows two tokens and lets alice patch in "shop" and bob nothing; it counts reviews.</summary>
    private sealed class ReviewingApi : IKubeApi
    {
        public int TokenReviews;
        public int AccessReviews;
        public readonly List<string> AskedFor = [];

        public Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string contentType, CancellationToken ct)
        {
            var review = JsonNode.Parse(body!)!.AsObject();
            if (path.EndsWith("/tokenreviews", StringComparison.Ordinal))
            {
                TokenReviews++;
                var user = (string?)review["spec"]!["token"] switch { "alice-token" => "alice", "bob-token" => "bob", _ => null };
                return Task.FromResult(new JsonObject
                {
                    ["status"] = user is null ? new JsonObject { ["authenticated"] = false }
                        : new JsonObject { ["authenticated"] = true, ["user"] = new JsonObject { ["username"] = user, ["groups"] = new JsonArray("system:authenticated") } },
                });
            }
            AccessReviews++;
            var spec = review["spec"]!;
            var who = (string)spec["user"]!;
            AskedFor.Add(who);
            var allowed = who == "alice" && (string?)spec["resourceAttributes"]!["namespace"] == "shop";
            return Task.FromResult(new JsonObject { ["status"] = new JsonObject { ["allowed"] = allowed } });
        }

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => Task.FromResult<JsonObject?>(null);
        public Task<JsonObject> SendAsAsync(string? impersonateUser, HttpMethod method, string path, string? body, string contentType, CancellationToken ct) => SendAsync(method, path, body, contentType, ct);
        public IAsyncEnumerable<WatchEvent> WatchAsync(string path, CancellationToken ct) => throw new NotSupportedException();
    }

    [Fact]
    public async Task AllowedAsync_AliceThenBobSameQuestion_EachReviewedAndCachedSeparately()
    {
        // Arrange
        var api = new ReviewingApi();
        var time = new FakeTimeProvider();
        var access = new TokenReviewAccess(api, DashboardOptions.Default, time);
        var check = AccessCheck.PatchApp("shop", "web");

        // Act
        var alice = (await access.AuthenticateAsync("alice-token", default))!;
        var aliceFirst = await access.AllowedAsync(alice, check, default);
        var aliceAgain = await access.AllowedAsync((await access.AuthenticateAsync("alice-token", default))!, check, default);
        var bob = (await access.AuthenticateAsync("bob-token", default))!;
        var bobFirst = await access.AllowedAsync(bob, check, default);
        var bobAgain = await access.AllowedAsync(bob, check, default);
        var reviewsWithinTtl = (api.TokenReviews, api.AccessReviews);
        time.Advance(DashboardOptions.Default.ReviewTtl + TimeSpan.FromSeconds(1));
        var aliceAfterTtl = await access.AllowedAsync(alice, check, default);

        // Assert
        Assert.True(aliceFirst);
        Assert.True(aliceAgain);
        Assert.False(bobFirst);
        Assert.False(bobAgain);
        Assert.Equal((2, 2), reviewsWithinTtl);
        Assert.Equal(["alice", "bob", "alice"], api.AskedFor);
        Assert.True(aliceAfterTtl);
        Assert.NotEqual(alice.Key, bob.Key);
        Assert.DoesNotContain("alice-token", alice.Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownOrMissingToken_NoViewerUnlessAnonymousIsOn()
    {
        var api = new ReviewingApi();
        var closed = new TokenReviewAccess(api, DashboardOptions.Default, TimeProvider.System);
        var open = new TokenReviewAccess(api, DashboardOptions.Default with { Anonymous = true }, TimeProvider.System);

        var unknown = await closed.AuthenticateAsync("mallory-token", default);
        var none = await closed.AuthenticateAsync(null, default);
        var anonymous = (await open.AuthenticateAsync(null, default))!;

        Assert.Null(unknown);
        Assert.Null(none);
        Assert.True(anonymous.Anonymous);
        Assert.True(await open.AllowedAsync(anonymous, AccessCheck.GetApp("shop", "web"), default));
        Assert.False(await open.AllowedAsync(anonymous, AccessCheck.PatchApp("shop", "web"), default));
        Assert.Equal(1, api.TokenReviews);
        Assert.Equal(0, api.AccessReviews);
    }
}
