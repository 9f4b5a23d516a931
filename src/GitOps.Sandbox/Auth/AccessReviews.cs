using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;
using static GitOps.Sandbox.Auth.Reviews;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// authorization.k8s.io/v1's reviews: SelfSubjectAccessReview, SubjectAccessReview and
/// LocalSubjectAccessReview (the authorizer's decision on the spec's attributes, with the
/// validation causes of ValidateSubjectAccessReviewSpec) and SelfSubjectRulesReview (the rule
/// resolvers' union in a namespace).
/// </summary>
internal sealed class AccessReviews(Authorizer authorizer)
{
    public JsonObject AccessReview(ResourceType type, JsonObject body, UserInfo user, bool self)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var causes = new List<Cause>();
        AttributeCauses(spec, causes, local: false);
        if (!self) SubjectCauses(spec, causes);
        if (causes.Count > 0) throw Invalid(type, causes);
        var subject = self ? user : SubjectOf(spec);
        return Answer(type, body, SpecOut(spec, self), Decide(subject, spec, ""));
    }

    public JsonObject LocalAccessReview(ResourceType type, string ns, JsonObject body, UserInfo user)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var causes = new List<Cause>();
        AttributeCauses(spec, causes, local: true);
        SubjectCauses(spec, causes);
        if (causes.Count > 0) throw Invalid(type, causes);
        if (Str(spec["resourceAttributes"], "namespace") != ns)
            throw StatusException.BadRequest($"spec.resourceAttributes.namespace must match namespace: {ns}");
        return Answer(type, body, SpecOut(spec, self: false), Decide(SubjectOf(spec), spec, ns));
    }

    private JsonObject Decide(UserInfo subject, JsonObject spec, string localNamespace)
    {
        RequestAttributes attributes;
        if (spec["resourceAttributes"] is JsonObject r)
        {
            var version = Str(r, "version");
            attributes = new RequestAttributes(subject, Str(r, "verb"), true, ApiGroup: Str(r, "group"), ApiVersion: version.Length == 0 ? "*" : version,
                Namespace: localNamespace.Length > 0 ? localNamespace : Str(r, "namespace"), Resource: Str(r, "resource"), Subresource: Str(r, "subresource"), Name: Str(r, "name"));
        }
        else
        {
            var n = spec["nonResourceAttributes"];
            attributes = new RequestAttributes(subject, Str(n, "verb"), false, Path: Str(n, "path"));
        }
        var decision = authorizer.Authorize(attributes);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0) status["reason"] = decision.Reason;
        return status;
    }

    public JsonObject RulesReview(ResourceType type, JsonObject body, UserInfo user)
    {
        var ns = Str(body["spec"], "namespace");
        if (ns.Length == 0) throw StatusException.BadRequest("no namespace on request");
        var rules = authorizer.RulesFor(user, ns);
        var status = new JsonObject
        {
            ["resourceRules"] = new JsonArray([.. rules.ResourceRules.Select(r => (JsonNode)ResourceRule(r))]),
            ["nonResourceRules"] = new JsonArray([.. rules.NonResourceRules.Select(r => (JsonNode)NonResourceRule(r))]),
            ["incomplete"] = rules.Incomplete,
        };
        if (rules.EvaluationError.Length > 0) status["evaluationError"] = rules.EvaluationError;
        // The registry answers a new object: the request's spec is not echoed.
        return new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = new JsonObject(),
            ["status"] = status,
        };
    }

    /// <summary>The spec's known fields in the v1 struct order.</summary>
    private static JsonObject SpecOut(JsonObject spec, bool self)
    {
        var o = new JsonObject();
        if (spec["resourceAttributes"] is JsonObject r)
            o["resourceAttributes"] = Pick(r, "namespace", "verb", "group", "version", "resource", "subresource", "name");
        if (spec["nonResourceAttributes"] is JsonObject n) o["nonResourceAttributes"] = Pick(n, "path", "verb");
        if (self) return o;
        if (Str(spec, "user").Length > 0) o["user"] = Str(spec, "user");
        if (spec["groups"] is JsonArray { Count: > 0 } groups) o["groups"] = groups.DeepClone();
        if (spec["extra"] is JsonObject { Count: > 0 } extra) o["extra"] = extra.DeepClone();
        if (Str(spec, "uid").Length > 0) o["uid"] = Str(spec, "uid");
        return o;
    }

    private static JsonObject Pick(JsonObject from, params string[] fields)
    {
        var o = new JsonObject();
        foreach (var f in fields) if (Str(from, f).Length > 0) o[f] = Str(from, f);
        return o;
    }

    private static UserInfo SubjectOf(JsonObject spec)
    {
        var groups = spec["groups"] is JsonArray g ? g.Select(x => x?.GetValue<string>() ?? "").ToList() : [];
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (spec["extra"] is JsonObject e)
            foreach (var (k, v) in e) extra[k] = v is JsonArray values ? [.. values.Select(x => x?.GetValue<string>() ?? "")] : [];
        return new UserInfo(Str(spec, "user"), Str(spec, "uid"), groups, extra);
    }

    /// <summary>ValidateSubjectAccessReviewSpec's attribute rules (the local review refuses non-resource attributes).</summary>
    private static void AttributeCauses(JsonObject spec, List<Cause> causes, bool local)
    {
        var resource = spec["resourceAttributes"] is JsonObject;
        var nonResource = spec["nonResourceAttributes"] is JsonObject n ? n : null;
        if (!local && resource && nonResource is not null)
            causes.Add(new Cause("FieldValueInvalid", $"Invalid value: {GoNonResourceAttributes(nonResource)}: cannot be specified in combination with resourceAttributes", "spec.nonResourceAttributes"));
        if (!resource && nonResource is null)
            causes.Add(new Cause("FieldValueInvalid", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified", "spec.resourceAttributes"));
        if (local && nonResource is not null)
            causes.Add(new Cause("FieldValueInvalid", $"Invalid value: {GoNonResourceAttributes(nonResource)}: disallowed on this kind of request", "spec.nonResourceAttributes"));
    }

    private static void SubjectCauses(JsonObject spec, List<Cause> causes)
    {
        if (Str(spec, "user").Length == 0 && spec["groups"] is not JsonArray { Count: > 0 })
            causes.Add(new Cause("FieldValueInvalid", "Invalid value: \"\": at least one of user or group must be specified", "spec.user"));
    }

    private static string GoNonResourceAttributes(JsonObject n) =>
        $"authorization.NonResourceAttributes{{Path:{Admission.GoFormat.Quote(Str(n, "path"))}, Verb:{Admission.GoFormat.Quote(Str(n, "verb"))}}}";

    /// <summary>
    /// apierrors.NewInvalid for no name and an empty kind in the review's group: the registry takes the
    /// kind from the decoded internal object, whose type meta the decoder clears, hence
    /// `.authorization.k8s.io "" is invalid` and details without kind (or name).
    /// </summary>
    private static StatusException Invalid(ResourceType type, IReadOnlyList<Cause> causes)
    {
        var e = StatusException.Invalid(type with { Kind = "" }, "", causes);
        e.Details?.Remove("name");
        e.Details?.Remove("kind");
        return e;
    }

    private static JsonObject ResourceRule(PolicyRule r)
    {
        var o = new JsonObject { ["verbs"] = Strings(r.Verbs) };
        if (r.ApiGroups.Count > 0) o["apiGroups"] = Strings(r.ApiGroups);
        if (r.Resources.Count > 0) o["resources"] = Strings(r.Resources);
        if (r.ResourceNames.Count > 0) o["resourceNames"] = Strings(r.ResourceNames);
        return o;
    }

    private static JsonObject NonResourceRule(PolicyRule r) => new() { ["verbs"] = Strings(r.Verbs), ["nonResourceURLs"] = Strings(r.NonResourceUrls) };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
