using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;
using static GitOps.Sandbox.Auth.Reviews;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// authentication.k8s.io/v1's reviews: TokenReview (whom an issued token authenticates, for the
/// audiences asked) and SelfSubjectReview (who the requester is).
/// </summary>
internal sealed class IdentityReviews(TokenAuthenticator tokens)
{
    public JsonObject TokenReview(ResourceType type, JsonObject body)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var token = Str(spec, "token");
        if (token.Length == 0) throw StatusException.BadRequest("token is required for TokenReview in authentication");
        var wanted = spec["audiences"] is JsonArray a && a.Count > 0 ? a.Select(x => x?.GetValue<string>() ?? "").ToList() : [.. ApiAudiences];
        var audiences = wanted.Where(ApiAudiences.Contains).ToList();
        var user = audiences.Count > 0 ? tokens.Authenticate(token) : null;
        var status = new JsonObject();
        if (user is not null)
        {
            status["authenticated"] = true;
            status["user"] = UserInfoJson(user);
            status["audiences"] = new JsonArray([.. audiences.Select(x => (JsonNode)x)]);
        }
        else status["user"] = new JsonObject();
        var specOut = new JsonObject { ["token"] = token };
        if (spec["audiences"] is JsonArray { Count: > 0 } given) specOut["audiences"] = given.DeepClone();
        return Answer(type, body, specOut, status);
    }

    public static JsonObject SelfReview(ResourceType type, UserInfo user) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["creationTimestamp"] = ObjectMeta.Timestamp(DateTimeOffset.UtcNow) },
        ["status"] = new JsonObject { ["userInfo"] = UserInfoJson(user) },
    };

    /// <summary>authentication/v1 UserInfo: every field left out when empty.</summary>
    private static JsonObject UserInfoJson(UserInfo user)
    {
        var o = new JsonObject();
        if (user.Name.Length > 0) o["username"] = user.Name;
        if (user.Uid.Length > 0) o["uid"] = user.Uid;
        if (user.Groups.Count > 0) o["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]);
        if (user.Extra.Count > 0)
            o["extra"] = new JsonObject(user.Extra.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray([.. kv.Value.Select(v => (JsonNode)v)]))));
        return o;
    }
}
