using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Admission;
using GitOps.Sandbox.Tests.Conformance;
using GitOps.Testing;
using k8s;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// The review APIs answered as kube-apiserver answers them: the request echoed back (as decoded)
/// with its status and the caller's managedFields entry, 201 Created, nothing stored.
/// </summary>
[Collection(RbacCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReviewTests(RbacTarget target)
{
    private const string Manager = "review-test";

    /// <summary>
    /// A review posted by a user bound to view in the namespace ({ns} and {user} are filled in), the
    /// expected answer's status, and the fields of the caller's managedFields entry.
    /// </summary>
    public static TheoryData<string, string, string, string, string> Review_TestData() => new()
    {
        {
            "self access review allowed", "selfsubjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"namespace":"{ns}","verb":"list","group":"apps","resource":"deployments"}}}""",
            """{"allowed":true,"reason":"RBAC: allowed by RoleBinding \"{binding}/{ns}\" of ClusterRole \"view\" to User \"{user}\""}""",
            """{"f:spec":{"f:resourceAttributes":{".":{},"f:group":{},"f:namespace":{},"f:resource":{},"f:verb":{}}}}"""
        },
        {
            "self access review denied", "selfsubjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"namespace":"{ns}","verb":"create","group":"apps","resource":"deployments"}}}""",
            """{"allowed":false}""",
            """{"f:spec":{"f:resourceAttributes":{".":{},"f:group":{},"f:namespace":{},"f:resource":{},"f:verb":{}}}}"""
        },
        {
            "self access review of a path", "selfsubjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"nonResourceAttributes":{"path":"/version","verb":"get"}}}""",
            """{"allowed":true,"reason":"RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\""}""",
            """{"f:spec":{"f:nonResourceAttributes":{".":{},"f:path":{},"f:verb":{}}}}"""
        },
    };

    /// <summary>
    /// The answer is the request as decoded, with its status and the Update entry the create handler's
    /// field manager records for the caller before the registry answers (as on every create).
    /// </summary>
    [Theory]
    [MemberData(nameof(Review_TestData))]
    public async Task SelfSubjectAccessReview_AsBoundUser_AnswersWithStatus(string caseName, string resource, string review, string status, string fieldsV1)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.BindClusterRoleAsync(target, ns, user, "view");
        string Fill(string s) => s.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{user}", user, StringComparison.Ordinal)
            .Replace("{binding}", Grants.Name(user) + "-view", StringComparison.Ordinal);
        using var client = target.ClientAs(user);

        var answer = await PostAsync(client, $"apis/authorization.k8s.io/v1/{resource}?fieldManager={Manager}", Fill(review), JsonNode.Parse(Fill(status))!);

        // The entry's time is the server's clock: taken from the answer, checked for its format.
        var time = (string?)answer["metadata"]?["managedFields"]?[0]?["time"];
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", time ?? "");
        var entry = new JsonObject
        {
            ["manager"] = Manager, ["operation"] = "Update", ["apiVersion"] = "authorization.k8s.io/v1", ["time"] = time,
            ["fieldsType"] = "FieldsV1", ["fieldsV1"] = JsonNode.Parse(fieldsV1),
        };
        var expected = JsonNode.Parse(Fill(review))!.AsObject();
        expected["metadata"] = new JsonObject { ["creationTimestamp"] = null, ["managedFields"] = new JsonArray(entry) };
        expected["status"] = JsonNode.Parse(Fill(status));
        Assert.Empty(ReferenceFiles.Diff(Order(expected), answer));
    }

    [Fact]
    public async Task SubjectAccessReview_ByAdminForAnotherUser_AnswersForThatUser()
    {
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.BindClusterRoleAsync(target, ns, user, "edit");
        var review = $$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"resourceAttributes":{"namespace":"{{{ns}}}","verb":"create","group":"apps","resource":"deployments","subresource":"scale","name":"web"},"user":"{{{user}}}"}}""";
        var reason = $"RBAC: allowed by RoleBinding \"{Grants.Name(user)}-edit/{ns}\" of ClusterRole \"edit\" to User \"{user}\"";

        var answer = await PostAsync(target.Admin, "apis/authorization.k8s.io/v1/subjectaccessreviews", review, new JsonObject { ["allowed"] = true, ["reason"] = reason });

        Assert.Equal(reason, (string?)answer["status"]!["reason"]);
        Assert.Equal(user, (string?)answer["spec"]!["user"]);
    }

    [Fact]
    public async Task LocalSubjectAccessReview_InNamespace_AnswersThere()
    {
        var ns = await target.NewNamespaceAsync();
        var review = $$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview","metadata":{"namespace":"{{{ns}}}"},"spec":{"resourceAttributes":{"namespace":"{{{ns}}}","verb":"get","resource":"pods"},"groups":["nobody"]}}""";

        var answer = await PostAsync(target.Admin, $"apis/authorization.k8s.io/v1/namespaces/{ns}/localsubjectaccessreviews", review, new JsonObject { ["allowed"] = false });

        Assert.Equal(ns, (string?)answer["metadata"]!["namespace"]);
    }

    public static TheoryData<string, string, HttpStatusCode, string> Invalid_TestData() => new()
    {
        {
            "no attributes and no subject", """{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{}}""", HttpStatusCode.UnprocessableEntity,
            ".authorization.k8s.io \"\" is invalid: [spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: \"\": at least one of user or group must be specified]"
        },
        {
            "both attributes", """{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"bob","resourceAttributes":{"verb":"get"},"nonResourceAttributes":{"path":"/x","verb":"get"}}}""",
            HttpStatusCode.UnprocessableEntity,
            ".authorization.k8s.io \"\" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:\"/x\", Verb:\"get\"}: cannot be specified in combination with resourceAttributes"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid_TestData))]
    public async Task SubjectAccessReview_Invalid_IsRefused(string caseName, string review, HttpStatusCode expected, string message)
    {
        _ = caseName;
        var (code, body, _) = await Conform.RawAsync(target.Admin, HttpMethod.Post, "apis/authorization.k8s.io/v1/subjectaccessreviews", review);

        Assert.True(code == expected, body);
        var status = JsonNode.Parse(body)!;
        Assert.Equal(message, (string?)status["message"]);
        Assert.Equal("authorization.k8s.io", (string?)status["details"]!["group"]);
        // The registry names the decoded internal object's kind, which is empty: no kind in the details.
        Assert.False(status["details"]!.AsObject().ContainsKey("kind"));
    }

    [Fact]
    public async Task SelfSubjectRulesReview_AsBoundUser_ListsRoleAndBootstrapRules()
    {
        var ns = await target.NewNamespaceAsync();
        var user = RbacTarget.NewUser();
        await Grants.RoleAsync(target, ns, user, Grants.Rule("get", "", "secrets", "s1"));
        using var client = target.ClientAs(user);
        var review = $$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"{{{ns}}}"}}""";

        JsonNode answer = new JsonObject();
        await Eventually.WaitAsync(async () =>
        {
            answer = await PostAsync(client, "apis/authorization.k8s.io/v1/selfsubjectrulesreviews", review, null);
            return answer["status"]!["resourceRules"]!.AsArray().Any(r => r!["resources"]?[0]?.GetValue<string>() == "secrets");
        }, TimeSpan.FromSeconds(10), "the Role's rule in the review");

        var status = answer["status"]!;
        Assert.Equal(new JsonObject(), answer["spec"]);
        Assert.False((bool)status["incomplete"]!);
        Assert.Contains(status["resourceRules"]!.AsArray(), r => JsonNode.DeepEquals(r, JsonNode.Parse("""{"verbs":["get"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["s1"]}""")));
        Assert.Contains(status["resourceRules"]!.AsArray(), r => JsonNode.DeepEquals(r, JsonNode.Parse("""{"verbs":["create"],"apiGroups":["authorization.k8s.io"],"resources":["selfsubjectaccessreviews","selfsubjectrulesreviews"]}""")));
        Assert.Contains(status["nonResourceRules"]!.AsArray(), r => r!["nonResourceURLs"]!.AsArray().Any(u => (string?)u == "/apis/*"));
    }

    [Fact]
    public async Task SelfSubjectRulesReview_WithoutNamespace_Returns400()
    {
        var (code, body, _) = await Conform.RawAsync(target.Admin, HttpMethod.Post, "apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("no namespace on request", (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task SelfSubjectReview_AsServiceAccount_ReturnsItsUserInfo()
    {
        var ns = await target.NewNamespaceAsync();
        var account = $"system:serviceaccount:{ns}:robot";
        using var client = target.ClientAs(account);

        var answer = await PostAsync(client, "apis/authentication.k8s.io/v1/selfsubjectreviews", """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", null);

        Assert.Equal("SelfSubjectReview", (string?)answer["kind"]);
        Assert.NotNull(answer["metadata"]!["creationTimestamp"]);
        var expected = JsonNode.Parse($$"""{"username":"{{account}}","groups":["system:serviceaccounts","system:serviceaccounts:{{ns}}","system:authenticated"]}""");
        Assert.Empty(ReferenceFiles.Diff(expected, WithoutExtra(answer["status"]!["userInfo"])));
    }

    public static TheoryData<string, string?, string> TokenReview_TestData() => new()
    {
        { "an issued token", null, """{"authenticated":true,"user":{"username":"{user}","groups":["reviewers","system:authenticated"]},"audiences":["https://kubernetes.default.svc.cluster.local"]}""" },
        { "another token", "not-issued", """{"user":{}}""" },
        { "a foreign audience", "audience:https://elsewhere.example", """{"user":{}}""" },
    };

    [Theory]
    [MemberData(nameof(TokenReview_TestData))]
    public async Task TokenReview_OfToken_AuthenticatesOnlyIssuedTokens(string caseName, string? variant, string status)
    {
        _ = caseName;
        if (target.IsRealCluster) return; // tokens are issued by the sandbox
        var user = RbacTarget.NewUser();
        var token = variant == "not-issued" ? "not-issued" : target.Sandbox!.IssueToken(user, ["reviewers"]);
        var spec = new JsonObject { ["token"] = token };
        if (variant?.StartsWith("audience:", StringComparison.Ordinal) == true) spec["audiences"] = new JsonArray(variant["audience:".Length..]);
        var review = new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = spec };

        var answer = await PostAsync(target.Admin, "apis/authentication.k8s.io/v1/tokenreviews", review.ToJsonString(), null);

        Assert.Empty(ReferenceFiles.Diff(JsonNode.Parse(status.Replace("{user}", user, StringComparison.Ordinal)), answer["status"]));
        Assert.Equal(token, (string?)answer["spec"]!["token"]);
    }

    private static async Task<JsonNode> PostAsync(Kubernetes client, string path, string body, JsonNode? expectedStatus)
    {
        // A real cluster's authorizer reads informers: wait until the answer is the one expected.
        var (code, text) = (HttpStatusCode.OK, "");
        await Eventually.TryAsync(async () =>
        {
            (code, text, _) = await Conform.RawAsync(client, HttpMethod.Post, path, body);
            return expectedStatus is null || (code == HttpStatusCode.Created && JsonNode.DeepEquals(JsonNode.Parse(text)!["status"], expectedStatus));
        }, TimeSpan.FromSeconds(expectedStatus is null ? 0.1 : 10));
        Assert.True(code == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>A real cluster adds credential extras (token ids) to service account users.</summary>
    private static JsonNode? WithoutExtra(JsonNode? info)
    {
        var copy = info?.DeepClone();
        (copy as JsonObject)?.Remove("extra");
        (copy as JsonObject)?.Remove("uid");
        return copy;
    }

    private static JsonObject Order(JsonObject o) => new()
    {
        ["kind"] = o["kind"]?.DeepClone(),
        ["apiVersion"] = o["apiVersion"]?.DeepClone(),
        ["metadata"] = o["metadata"]?.DeepClone(),
        ["spec"] = o["spec"]?.DeepClone(),
        ["status"] = o["status"]?.DeepClone(),
    };
}
