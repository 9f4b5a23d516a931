using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Caching;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Dashboard;

/// <summary>Who is looking: a Kubernetes user as the API server knows them. <see cref="Key"/> identifies the credential (a hash of the token, never the token).</summary>
public sealed record Viewer(string Name, IReadOnlyList<string> Groups, string Key, bool Anonymous = false, string? Uid = null)
{
    public static Viewer AnonymousViewer { get; } = new("system:anonymous", ["system:unauthenticated"], "anonymous", Anonymous: true);
}

/// <summary>One question for the authoriser: may the viewer do <see cref="Verb"/> on this resource?</summary>
public sealed record AccessCheck(string Verb, string Group, string Resource, string Namespace, string? Name = null)
{
    public const string AppGroup = "gitops.dev";
    public const string Apps = "applications";

    public static AccessCheck ListApps(string ns) => new("list", AppGroup, Apps, ns);
    public static AccessCheck GetApp(string ns, string name) => new("get", AppGroup, Apps, ns, name);
    public static AccessCheck PatchApp(string ns, string name) => new("patch", AppGroup, Apps, ns, name);

    public bool IsRead => Verb is "get" or "list" or "watch";

    public override string ToString() => $"{Verb} {Resource}{(Group.Length > 0 ? "." + Group : "")} {Namespace}/{Name}";
}

/// <summary>Authentication and authorisation of dashboard visitors, by Kubernetes.</summary>
public interface IDashboardAccess
{
    /// <summary>
    /// Whether visitors bring a token (the operator, which then writes with that token) or are the
    /// kubeconfig's user (`gitops dashboard`, whose client already acts as them).
    /// </summary>
    bool UsesTokens { get; }

    /// <summary>The viewer the token belongs to; null when it is missing or the API server does not accept it.</summary>
    Task<Viewer?> AuthenticateAsync(string? token, CancellationToken ct);

    Task<bool> AllowedAsync(Viewer viewer, AccessCheck check, CancellationToken ct);
}

/// <summary>Review answers, by credential hash and question, each kept for a short TTL (bounded, least recently used out first).</summary>
internal sealed class ReviewCache(DashboardOptions options, TimeProvider time)
{
    private sealed record Entry(object? Value, DateTimeOffset Expires);

    private readonly BoundedLru<string, Entry> _entries = new(options.ReviewCacheEntries, options.ReviewCacheEntries, _ => 1);

    public async Task<T> GetOrAddAsync<T>(string key, Func<Task<T>> review)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGet(key, out var hit) && hit.Expires > now) return (T)hit.Value!;
        var value = await review();
        _entries.Add(key, new Entry(value, now + options.ReviewTtl));
        return value;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>
/// The operator's dashboard: a bearer token is checked with a TokenReview, and every read and action
/// with a SubjectAccessReview for that user, both made with the operator's own credentials and cached
/// for a short TTL under a hash of the token (one user's answers never serve another).
/// </summary>
internal sealed class TokenReviewAccess(IKubeApi api, DashboardOptions options, TimeProvider time) : IDashboardAccess
{
    private readonly ReviewCache _cache = new(options, time);
    private static readonly Viewer Rejected = new("", [], "rejected");

    public bool UsesTokens => true;

    public async Task<Viewer?> AuthenticateAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token)) return options.Anonymous ? Viewer.AnonymousViewer : null;
        var hash = ReviewCache.Hash(token);
        var viewer = await _cache.GetOrAddAsync("authn|" + hash, async () =>
        {
            var review = new JsonObject
            {
                ["apiVersion"] = "authentication.k8s.io/v1",
                ["kind"] = "TokenReview",
                ["spec"] = new JsonObject { ["token"] = token },
            };
            var answer = await api.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews", review.ToJsonString(), "application/json", ct);
            var status = answer["status"];
            if ((bool?)status?["authenticated"] != true) return Rejected;
            var user = status!["user"];
            return new Viewer((string?)user?["username"] ?? "", [.. (user?["groups"] as JsonArray ?? []).Select(g => (string?)g).OfType<string>()], hash,
                Uid: (string?)user?["uid"] is { Length: > 0 } uid ? uid : null);
        });
        return ReferenceEquals(viewer, Rejected) || viewer.Name.Length == 0 ? null : viewer;
    }

    public async Task<bool> AllowedAsync(Viewer viewer, AccessCheck check, CancellationToken ct)
    {
        if (viewer.Anonymous) return options.Anonymous && check.IsRead;
        return await _cache.GetOrAddAsync($"authz|{viewer.Key}|{check.Verb}|{check.Group}|{check.Resource}|{check.Namespace}|{check.Name}", async () =>
        {
            var attributes = new JsonObject
            {
                ["verb"] = check.Verb,
                ["group"] = check.Group,
                ["resource"] = check.Resource,
            };
            if (check.Namespace.Length > 0) attributes["namespace"] = check.Namespace;
            if (check.Name is not null) attributes["name"] = check.Name;
            var review = new JsonObject
            {
                ["apiVersion"] = "authorization.k8s.io/v1",
                ["kind"] = "SubjectAccessReview",
                ["spec"] = new JsonObject
                {
                    ["user"] = viewer.Name,
                    ["groups"] = new JsonArray([.. viewer.Groups.Select(g => (JsonNode)g)]),
                    ["resourceAttributes"] = attributes,
                },
            };
            var answer = await api.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews", review.ToJsonString(), "application/json", ct);
            return (bool?)answer["status"]?["allowed"] == true;
        });
    }
}

/// <summary>
/// `gitops dashboard`: the visitor is the kubeconfig's user; what it may do is asked with
/// SelfSubjectAccessReviews (and the API server checks every action again, as the user makes it).
/// </summary>
internal sealed class KubeconfigAccess(IKubeApi api, DashboardOptions options, TimeProvider time) : IDashboardAccess
{
    private readonly ReviewCache _cache = new(options, time);

    public bool UsesTokens => false;

    public async Task<Viewer?> AuthenticateAsync(string? token, CancellationToken ct) =>
        await _cache.GetOrAddAsync("self", async () =>
        {
            try
            {
                var answer = await api.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                    new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" }.ToJsonString(), "application/json", ct);
                var user = answer["status"]?["userInfo"];
                return new Viewer((string?)user?["username"] ?? "kubeconfig user", [.. (user?["groups"] as JsonArray ?? []).Select(g => (string?)g).OfType<string>()], "kubeconfig");
            }
            catch (KubeApiException)
            {
                return new Viewer("kubeconfig user", [], "kubeconfig");
            }
        });

    public Task<bool> AllowedAsync(Viewer viewer, AccessCheck check, CancellationToken ct) =>
        _cache.GetOrAddAsync($"authz|{check.Verb}|{check.Group}|{check.Resource}|{check.Namespace}|{check.Name}", async () =>
        {
            var attributes = new JsonObject { ["verb"] = check.Verb, ["group"] = check.Group, ["resource"] = check.Resource };
            if (check.Namespace.Length > 0) attributes["namespace"] = check.Namespace;
            if (check.Name is not null) attributes["name"] = check.Name;
            var review = new JsonObject
            {
                ["apiVersion"] = "authorization.k8s.io/v1",
                ["kind"] = "SelfSubjectAccessReview",
                ["spec"] = new JsonObject { ["resourceAttributes"] = attributes },
            };
            var answer = await api.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review.ToJsonString(), "application/json", ct);
            return (bool?)answer["status"]?["allowed"] == true;
        });
}
