using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// Server-side field validation (the fieldValidation parameter of create, update and patch):
/// unknown fields are dropped, warned about (the default) or refused, with kube-apiserver's
/// messages; server-side apply refuses them whatever the parameter says.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FieldValidationTests(ApiTarget target)
{
    private const string DeploymentStrict = "strict decoding error: unknown field \"spec.replicass\", unknown field \"spec.template.spec.containers[0].imagee\"";
    private const string DeploymentWarnings = "unknown field \"spec.replicass\"|unknown field \"spec.template.spec.containers[0].imagee\"";
    private const string WidgetStrict = "strict decoding error: unknown field \"spec.bogus\"";
    private const string WidgetWarnings = "unknown field \"spec.bogus\"";

    private Kubernetes Client => target.Client;

    /// <summary>
    /// caseName, kind (Deployment or Widget), verb, fieldValidation ("" = absent), expected code,
    /// expected field warnings ('|'-separated) and message: exact, or "...x" for a message ending
    /// with x (the patched object's JSON comes before it), or "x..." for one starting with x.
    /// {ns}, {name} and {group} are filled in.
    /// </summary>
    public static TheoryData<string, string, string, string, int, string, string> Write_TestData()
    {
        var data = new TheoryData<string, string, string, string, int, string, string>();
        foreach (var (kind, strict, warnings) in new[] { ("Deployment", DeploymentStrict, DeploymentWarnings), ("Widget", WidgetStrict, WidgetWarnings) })
        {
            foreach (var verb in new[] { "create", "update", "merge", "strategic", "apply" })
            {
                if (kind == "Widget" && verb == "strategic") continue; // custom resources refuse strategic merge (415)
                foreach (var validation in new[] { "", "Ignore", "Warn", "Strict" })
                {
                    var success = verb == "create" ? 201 : 200;
                    var (code, expectWarnings, message) = (verb, validation) switch
                    {
                        ("apply", _) => (500, "", kind == "Deployment"
                            ? "failed to create typed patch object ({ns}/{name}; apps/v1, Kind=Deployment): ..."
                            : "failed to create typed patch object ({ns}/{name}; {group}/v1, Kind=Widget): .spec.bogus: field not declared in schema"),
                        (_, "Ignore") => (success, "", ""),
                        (_, "" or "Warn") => (success, warnings, ""),
                        ("create" or "update", _) => (400, "", $"{kind} in version \"v1\" cannot be handled as a {kind}: {strict}"),
                        ("strategic", _) => (422, "", $" \"\" is invalid: patch: Invalid value: \"map[spec:map[replicass:2 template:map[spec:map[containers:[map[image:nginx:1.27 imagee:nginx name:app]]]]]]\": {strict}"),
                        _ => (422, "", $"...\": {strict}"),
                    };
                    data.Add($"{kind} {verb} fieldValidation={(validation.Length == 0 ? "(absent)" : validation)}", kind, verb, validation, code, expectWarnings, message);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Write_TestData))]
    public async Task Write_UnknownFields_AnswersAsFieldValidationSays(
        string caseName, string kind, string verb, string validation, int code, string warnings, string message)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("fv");
        await using var crd = kind == "Widget" ? await TestCrd.CreateAsync(Client) : null;
        var collection = crd is null ? $"/apis/apps/v1/namespaces/{ns}/deployments" : $"/apis/{crd.Group}/v1/namespaces/{ns}/{crd.Plural}";
        var name = verb == "create" || verb == "apply" ? "fresh" : "existing";
        if (name == "existing") await SendAsync(HttpMethod.Post, collection, Body(kind, crd, ns, name, unknown: false), HttpStatusCode.Created);
        var query = validation.Length == 0 ? "" : $"fieldValidation={validation}";

        var (status, body, response) = verb switch
        {
            "create" => await Conform.RawAsync(Client, HttpMethod.Post, With(collection, query), Body(kind, crd, ns, name, unknown: true)),
            "update" => await Conform.RawAsync(Client, HttpMethod.Put, With($"{collection}/{name}", query), crd is null ? Body(kind, crd, ns, name, unknown: true) : await WithResourceVersionAsync(collection, Body(kind, crd, ns, name, unknown: true))),
            "apply" => await Conform.RawAsync(Client, HttpMethod.Patch, With($"{collection}/{name}", query, "fieldManager=fv-test"), Body(kind, crd, ns, name, unknown: true), "application/apply-patch+yaml"),
            _ => await Conform.RawAsync(Client, HttpMethod.Patch, With($"{collection}/{name}", query), Patch(kind),
                verb == "merge" ? "application/merge-patch+json" : "application/strategic-merge-patch+json"),
        };

        Assert.True(code == (int)status, $"expected {code}, got {(int)status}: {body}");
        Assert.Equal(warnings.Length == 0 ? [] : warnings.Split('|'), FieldWarnings(response));
        if (message.Length > 0) AssertStatus(JsonNode.Parse(body)!, code, Fill(message, ns, name, crd));
        var stored = await GetAsync($"{collection}/{name}");
        Assert.True(stored is not null || code >= 400, $"{name} was not stored");
        if (stored is not null)
        {
            var spec = stored["spec"]!.AsObject();
            Assert.False(spec.ContainsKey("replicass") || spec.ContainsKey("bogus"), stored.ToJsonString());
            Assert.DoesNotContain("imagee", stored.ToJsonString(), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string, string> InvalidParameter_TestData() => new()
    {
        { "create", "POST", "", "CreateOptions" },
        { "update", "PUT", "/existing", "UpdateOptions" },
        { "merge patch", "PATCH", "/existing", "PatchOptions" },
    };

    [Theory]
    [MemberData(nameof(InvalidParameter_TestData))]
    public async Task Write_UnsupportedFieldValidation_IsInvalidOptions(string caseName, string method, string suffix, string optionsKind)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("fv");
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        await SendAsync(HttpMethod.Post, collection, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"}}""", HttpStatusCode.Created);

        var (status, body, _) = await Conform.RawAsync(Client, new HttpMethod(method), $"{collection}{suffix}?fieldValidation=Bogus",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"}}""", method == "PATCH" ? "application/merge-patch+json" : "application/json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var result = JsonNode.Parse(body)!;
        Assert.Equal($"{optionsKind}.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Bogus\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"", (string?)result["message"]);
        Assert.Equal("Invalid", (string?)result["reason"]);
        Assert.Equal(optionsKind, (string?)result["details"]?["kind"]);
        Assert.Equal("meta.k8s.io", (string?)result["details"]?["group"]);
        Assert.Equal("fieldValidation", (string?)result["details"]?["causes"]?[0]?["field"]);
        Assert.Equal("FieldValueNotSupported", (string?)result["details"]?["causes"]?[0]?["reason"]);
    }

    public static TheoryData<string, string, int, string> DuplicateFields_TestData() => new()
    {
        { "absent: warns, the last value wins", "", 201, "" },
        { "Strict: refused", "Strict", 400, "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: duplicate field \"spec.replicas\", unknown field \"spec.replicass\"" },
    };

    [Theory]
    [MemberData(nameof(DuplicateFields_TestData))]
    public async Task Create_DuplicateFields_AreReportedInDocumentOrder(string caseName, string validation, int code, string message)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("fv");
        var body = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dup"},
             "spec":{"replicas":1,"replicas":3,"replicass":2,"selector":{"matchLabels":{"app":"dup"}},
              "template":{"metadata":{"labels":{"app":"dup"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}
            """;

        var (status, text, response) = await Conform.RawAsync(Client, HttpMethod.Post,
            With($"/apis/apps/v1/namespaces/{ns}/deployments", validation.Length == 0 ? "" : $"fieldValidation={validation}"), body);

        Assert.True(code == (int)status, text);
        if (code == 201)
        {
            Assert.Equal(["duplicate field \"spec.replicas\"", "unknown field \"spec.replicass\""], FieldWarnings(response));
            Assert.Equal(3, (int)JsonNode.Parse(text)!["spec"]!["replicas"]!);
        }
        else AssertStatus(JsonNode.Parse(text)!, code, message);
    }

    public static TheoryData<string, string, int, string> ApplyDuplicateKeys_TestData() => new()
    {
        { "absent: applied, the last value wins, each duplicate warned", "", 201, "" },
        { "Ignore: applied silently", "Ignore", 201, "" },
        { "Strict: refused after the apply itself succeeded", "Strict", 400,
            "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 3: key \"replicas\" already set in map" },
    };

    [Theory]
    [MemberData(nameof(ApplyDuplicateKeys_TestData))]
    public async Task Apply_DuplicateYamlKeys_AnswersAsFieldValidationSays(string caseName, string validation, int code, string message)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync("fv");
        var body = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dup","namespace":"NS"},
             "spec":{"replicas":1,
              "replicas":3,"selector":{"matchLabels":{"app":"dup"}},
              "template":{"metadata":{"labels":{"app":"dup"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}
            """.Replace("NS", ns, StringComparison.Ordinal);

        var (status, text, response) = await Conform.RawAsync(Client, HttpMethod.Patch,
            With($"/apis/apps/v1/namespaces/{ns}/deployments/dup", "fieldManager=fv-test", validation.Length == 0 ? "" : $"fieldValidation={validation}"),
            body, "application/apply-patch+yaml");

        Assert.True(code == (int)status, text);
        if (code != 201)
        {
            AssertStatus(JsonNode.Parse(text)!, code, message);
            return;
        }
        Assert.Equal(3, (int)JsonNode.Parse(text)!["spec"]!["replicas"]!);
        Assert.Equal(validation.Length == 0 ? ["line 3: key \"replicas\" already set in map"] : [], AllWarnings(response));
    }

    [Fact]
    public async Task Create_KnownFieldsOnly_SendsNoWarning()
    {
        var ns = await target.NewNamespaceAsync("fv");
        var (status, text, response) = await Conform.RawAsync(Client, HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments?fieldValidation=Strict",
            Body("Deployment", null, ns, "clean", unknown: false).Replace("\"replicas\":1", "\"replicas\":1,\"revisionHistoryLimit\":3", StringComparison.Ordinal));

        Assert.True(status == HttpStatusCode.Created, text);
        Assert.False(response.Headers.NonValidated.Contains("Warning"));
    }

    private static string Body(string kind, TestCrd? crd, string ns, string name, bool unknown)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (kind != "Deployment")
        {
            var widget = new JsonObject { ["apiVersion"] = crd!.ApiVersion, ["kind"] = crd.Kind, ["metadata"] = metadata, ["spec"] = new JsonObject { ["size"] = 2 } };
            if (unknown) widget["spec"]!["bogus"] = 1;
            return widget.ToJsonString();
        }
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":1,"selector":{"matchLabels":{"app":"fv"}},
             "template":{"metadata":{"labels":{"app":"fv"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}
            """)!.AsObject();
        deployment.Insert(2, "metadata", metadata);
        if (unknown)
        {
            deployment["spec"]!.AsObject().Insert(1, "replicass", 2);
            deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["imagee"] = "nginx";
        }
        return deployment.ToJsonString();
    }

    private static string Patch(string kind) => kind == "Deployment"
        ? """{"spec":{"replicass":2,"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.27","imagee":"nginx"}]}}}}"""
        : """{"spec":{"size":3,"bogus":1}}""";

    private static string With(string path, params string[] query)
    {
        var parts = query.Where(q => q.Length > 0).ToList();
        return parts.Count == 0 ? path : $"{path}?{string.Join('&', parts)}";
    }

    private static string Fill(string message, string ns, string name, TestCrd? crd) =>
        message.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{name}", name, StringComparison.Ordinal)
            .Replace("{group}", crd?.Group ?? "", StringComparison.Ordinal);

    /// <summary>The field warnings of a response, from its <c>Warning: 299 - "text"</c> headers.</summary>
    private static List<string> FieldWarnings(HttpResponseMessage response) =>
        [.. AllWarnings(response).Where(t => t.Contains(" field \"", StringComparison.Ordinal))];

    private static List<string> AllWarnings(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Warning", out var values)) return [];
        var texts = new List<string>();
        foreach (var value in values)
        {
            Assert.StartsWith("299 - \"", value, StringComparison.Ordinal);
            Assert.EndsWith("\"", value, StringComparison.Ordinal);
            var text = value["299 - \"".Length..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            texts.Add(text);
        }
        return texts;
    }

    private static void AssertStatus(JsonNode status, int code, string message)
    {
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal(code, (int)status["code"]!);
        Assert.Equal(code switch { 400 => "BadRequest", 422 => "Invalid", _ => null }, (string?)status["reason"]);
        var actual = (string?)status["message"] ?? "";
        if (message.StartsWith("...", StringComparison.Ordinal)) Assert.EndsWith(message[3..], actual, StringComparison.Ordinal);
        else if (message.EndsWith("...", StringComparison.Ordinal))
        {
            Assert.StartsWith(message[..^3], actual, StringComparison.Ordinal);
            Assert.Contains("field not declared in schema", actual, StringComparison.Ordinal);
        }
        else Assert.Equal(message, actual);
        if (code == 422)
        {
            Assert.Equal("patch", (string?)status["details"]?["causes"]?[0]?["field"]);
            Assert.Equal("FieldValueInvalid", (string?)status["details"]?["causes"]?[0]?["reason"]);
        }
    }

    private async Task SendAsync(HttpMethod method, string path, string body, HttpStatusCode expected)
    {
        var (status, text, _) = await Conform.RawAsync(Client, method, path, body);
        Assert.True(status == expected, $"{method} {path}: {(int)status} {text}");
    }

    private async Task<JsonObject?> GetAsync(string path)
    {
        var (status, text, _) = await Conform.RawAsync(Client, HttpMethod.Get, path);
        return status == HttpStatusCode.NotFound ? null : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// An update body carrying the live resourceVersion: custom resources refuse unconditional
    /// updates (a Deployment's takes none, its controller may write status in between).
    /// </summary>
    private async Task<string> WithResourceVersionAsync(string collection, string body)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        var live = await GetAsync($"{collection}/{(string)obj["metadata"]!["name"]!}");
        obj["metadata"]!["resourceVersion"] = (string?)live?["metadata"]?["resourceVersion"];
        return obj.ToJsonString();
    }
}
