using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// The review APIs, answered from the request and not stored: authorization.k8s.io/v1
/// SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview and
/// SelfSubjectRulesReview, and authentication.k8s.io/v1 TokenReview and SelfSubjectReview (served
/// at v1 as kube-apiserver 1.28+ does, which `kubectl auth whoami` asks for first).
/// </summary>
internal sealed class Reviews(Authorizer authorizer, TokenAuthenticator tokens)
{
    private readonly AccessReviews _access = new(authorizer);
    private readonly IdentityReviews _identity = new(tokens);

    public const string AuthorizationGroup = "authorization.k8s.io";
    public const string AuthenticationGroup = "authentication.k8s.io";

    /// <summary>The audiences kube-apiserver's tokens are for by default (--api-audiences from the service account issuer).</summary>
    public static readonly IReadOnlyList<string> ApiAudiences = ["https://kubernetes.default.svc.cluster.local"];

    /// <summary>SelfSubjectReview, not in 1.26's recorded discovery: served (and listed) at authentication.k8s.io/v1.</summary>
    public static JsonObject SelfSubjectReviewDiscovery() => new()
    {
        ["name"] = "selfsubjectreviews",
        ["singularName"] = "",
        ["namespaced"] = false,
        ["kind"] = "SelfSubjectReview",
        ["verbs"] = new JsonArray("create"),
    };

    public static ResourceType SelfSubjectReviewType { get; } = new(AuthenticationGroup, "v1", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview",
        false, ["create"], [], [], false, false, false);

    public static bool Handles(ResourceType type) =>
        (type.Group == AuthorizationGroup && type.Plural is "selfsubjectaccessreviews" or "subjectaccessreviews" or "localsubjectaccessreviews" or "selfsubjectrulesreviews")
        || (type.Group == AuthenticationGroup && type.Plural is "tokenreviews" or "selfsubjectreviews");

    /// <summary>
    /// The answer (201 Created) to a create of <paramref name="type"/> with <paramref name="body"/> by
    /// <paramref name="user"/>; <paramref name="managedFieldsOf"/> gives the managedFields the create
    /// handler's field manager records going from the kind's empty object to the one it is handed.
    /// </summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject body, UserInfo user, Func<JsonObject, JsonObject, JsonNode?> managedFieldsOf) => type.Plural switch
    {
        // These registries answer a new object, without what the field manager recorded on the request.
        "selfsubjectrulesreviews" => _access.RulesReview(type, body, user),
        "selfsubjectreviews" => IdentityReviews.SelfReview(type, user),
        _ => WithManagedFields(type, Echo(type, ns, body, user), managedFieldsOf),
    };

    /// <summary>The answer of a registry that returns the request it was given, its status filled in.</summary>
    private JsonObject Echo(ResourceType type, string? ns, JsonObject body, UserInfo user) => type.Plural switch
    {
        "selfsubjectaccessreviews" => _access.AccessReview(type, body, user, self: true),
        "subjectaccessreviews" => _access.AccessReview(type, body, user, self: false),
        "localsubjectaccessreviews" => _access.LocalAccessReview(type, ns ?? "", body, user),
        _ => _identity.TokenReview(type, body),
    };

    /// <summary>
    /// <paramref name="answer"/> with the managedFields recorded on the request before the registry
    /// answered it: the create handler runs the field manager on the decoded object, as on every create.
    /// </summary>
    private static JsonObject WithManagedFields(ResourceType type, JsonObject answer, Func<JsonObject, JsonObject, JsonNode?> managedFieldsOf)
    {
        if (managedFieldsOf(EmptyObject(type), answer) is { } managedFields) answer["metadata"]!["managedFields"] = managedFields;
        return answer;
    }

    /// <summary>
    /// The review kind's Go zero value, which the field manager compares the request with: its spec is
    /// a value struct, there from the start. (No OpenAPI document of these groups was recorded to derive it from.)
    /// </summary>
    private static JsonObject EmptyObject(ResourceType type) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        ["spec"] = new JsonObject(),
    };

    /// <summary>The request echoed back as the registry decodes it (unknown fields dropped), with its status.</summary>
    internal static JsonObject Answer(ResourceType type, JsonObject body, JsonObject spec, JsonObject status)
    {
        var metadata = body["metadata"]?.DeepClone() as JsonObject ?? [];
        if (!metadata.ContainsKey("creationTimestamp")) metadata["creationTimestamp"] = null;
        return new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = status,
        };
    }

    internal static string Str(JsonNode? node, string field) => node?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
