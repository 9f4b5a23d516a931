using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Decoding;
using GitOps.Sandbox.Patching;
using GitOps.Sandbox.Schema;
using GitOps.Sandbox.Store;
using GitOps.Sandbox.Tests.Admission;

namespace GitOps.Sandbox.Tests.Decoding;

/// <summary>
/// The strict decoding errors in the order kube-apiserver lists them, on the bodies of
/// kubernetes' own field validation integration test (test/integration/apiserver/field_validation_test.go).
/// </summary>
public sealed class FieldValidatorTests
{
    // Unknown and duplicate fields at every level a typed decode sees them.
    private const string InvalidDeployment = """
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {"name": "dup", "name": "dup", "unknownMeta": "metaVal", "labels": {"app": "nginx"}},
          "spec": {
            "unknown1": "val1",
            "unknownDupe": "valDupe",
            "unknownDupe": "valDupe2",
            "paused": true,
            "paused": false,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
              "metadata": {"labels": {"app": "nginx"}},
              "spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "unknownNested": "val1", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}
            }
          }
        }
        """;

    private const string CrdSchema = """
        {"type": "object", "properties": {"spec": {"type": "object", "properties": {
          "knownField1": {"type": "string"},
          "embeddedObj": {"x-kubernetes-embedded-resource": true, "type": "object", "properties": {"apiversion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}}},
          "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
            "items": {"type": "object", "required": ["containerPort", "protocol"], "properties": {
              "containerPort": {"type": "integer"}, "hostPort": {"type": "integer"}, "name": {"type": "string"}, "protocol": {"type": "string"}}}}}}}}
        """;

    private const string InvalidCustomResource = """
        {
          "apiVersion": "example.com/v1",
          "kind": "Foo",
          "metadata": {"name": "cr", "name": "cr", "unknownMeta": "metaVal"},
          "spec": {
            "unknown1": "val1",
            "unknownDupe": "valDupe",
            "unknownDupe": "valDupe2",
            "knownField1": "val1",
            "knownField1": "val2",
            "ports": [{"name": "portName", "containerPort": 8080, "protocol": "TCP", "hostPort": 8081, "hostPort": 8082, "unknownNested": "val"}],
            "embeddedObj": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "my-cm", "namespace": "my-ns", "unknownEmbeddedMeta": "foo"}}
          }
        }
        """;

    private static readonly ResourceType Deployments = new ResourceRegistry().Find("apps", "v1", "deployments")!;

    [Fact]
    public void DecodeBody_DeploymentWarn_WarnsInDocumentOrderAndDropsUnknownFields()
    {
        var warnings = new WarningRecorder();

        var obj = Validator().DecodeBody(Deployments, InvalidDeployment, "application/json", FieldValidation.Warn, warnings);

        Assert.Equal(
        [
            "duplicate field \"metadata.name\"",
            "unknown field \"metadata.unknownMeta\"",
            "unknown field \"spec.unknown1\"",
            "unknown field \"spec.unknownDupe\"",
            "duplicate field \"spec.paused\"",
            "unknown field \"spec.template.spec.containers[0].unknownNested\"",
            "duplicate field \"spec.template.spec.containers[0].imagePullPolicy\"",
        ], warnings.Texts);
        Assert.Equal("""{"app":"nginx"}""", obj["metadata"]!["labels"]!.ToJsonString());
        Assert.False(obj["metadata"]!.AsObject().ContainsKey("unknownMeta"));
        Assert.False(obj["spec"]!.AsObject().ContainsKey("unknown1"));
        Assert.False((bool)obj["spec"]!["paused"]!);
        Assert.Equal("Never", (string?)obj["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]);
        Assert.Null(obj["spec"]!["template"]!["spec"]!["containers"]![0]!["unknownNested"]);
    }

    [Fact]
    public void DecodeBody_DeploymentStrict_FailsWithEveryError()
    {
        var e = Assert.Throws<StatusException>(() => Validator().DecodeBody(Deployments, InvalidDeployment, null, FieldValidation.Strict, new WarningRecorder()));

        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: duplicate field \"metadata.name\", "
            + "unknown field \"metadata.unknownMeta\", unknown field \"spec.unknown1\", unknown field \"spec.unknownDupe\", duplicate field \"spec.paused\", "
            + "unknown field \"spec.template.spec.containers[0].unknownNested\", duplicate field \"spec.template.spec.containers[0].imagePullPolicy\"", e.Message);
    }

    [Fact]
    public void DecodeBody_Ignore_DropsSilently()
    {
        var warnings = new WarningRecorder();

        var obj = Validator().DecodeBody(Deployments, InvalidDeployment, null, FieldValidation.Ignore, warnings);

        Assert.Empty(warnings.Texts);
        Assert.DoesNotContain("unknown", obj.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPatched_MergePatchWarn_ListsPatchDuplicatesThenUnknownFieldsInKeyOrder()
    {
        const string patch = """
            {"spec": {"unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2", "paused": true, "paused": false,
              "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "unknownNested": "val1", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}
            """;
        var live = Validator().DecodeBody(Deployments, InvalidDeployment, null, FieldValidation.Ignore, new WarningRecorder());
        var patched = MergePatch.ApplyToObject(live, PatchBody.Parse(patch, PatchBody.MergePatchType))!;
        var warnings = new WarningRecorder();

        Validator().CheckPatched(Deployments, patched.AsObject(), PatchBody.MergePatchType, patch, FieldValidation.Warn, warnings);

        Assert.Equal(
        [
            "duplicate field \"spec.unknownDupe\"",
            "duplicate field \"spec.paused\"",
            "duplicate field \"spec.template.spec.containers[0].imagePullPolicy\"",
            "unknown field \"spec.template.spec.containers[0].unknownNested\"",
            "unknown field \"spec.unknown1\"",
            "unknown field \"spec.unknownDupe\"",
        ], warnings.Texts);
    }

    [Fact]
    public void CheckPatched_StrategicStrict_IsInvalidPatchWithThePatchMap()
    {
        const string patch = """{"spec":{"replicass":2,"template":{"spec":{"containers":[{"name":"nginx","imagee":"x"}]}}}}""";
        var live = Validator().DecodeBody(Deployments, InvalidDeployment, null, FieldValidation.Ignore, new WarningRecorder());
        var patched = StrategicMergePatch.Apply(live, PatchBody.ParseStrategic(patch), BuiltinSchemas.Shared.Find("apps", "v1", "Deployment")!);

        var e = Assert.Throws<StatusException>(() => Validator().CheckPatched(Deployments, patched, PatchBody.StrategicMergePatchType, patch, FieldValidation.Strict, null));

        const string cause = "Invalid value: \"map[spec:map[replicass:2 template:map[spec:map[containers:[map[imagee:x name:nginx]]]]]]\": "
            + "strict decoding error: unknown field \"spec.replicass\", unknown field \"spec.template.spec.containers[0].imagee\"";
        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.Equal($" \"\" is invalid: patch: {cause}", e.Message);
        Assert.Equal($$"""{"causes":[{"reason":"FieldValueInvalid","message":{{JsonValue.Create(cause).ToJsonString()}},"field":"patch"}]}""", e.Details!.ToJsonString());
    }

    [Fact]
    public void CheckPatched_JsonPatchWarn_ReportsUnknownOperationFields()
    {
        const string patch = """[{"op": "add", "path": "/spec/unknown1", "value": "val1", "foo": "bar"}, {"op": "add", "path": "/spec/unknown2", "path": "/spec/unknown3", "value": "val1"}]""";
        var live = Validator().DecodeBody(Deployments, InvalidDeployment, null, FieldValidation.Ignore, new WarningRecorder());
        var patched = JsonPatch.Apply(live, PatchBody.Parse(patch, PatchBody.JsonPatchType))!.AsObject();
        var warnings = new WarningRecorder();

        Validator().CheckPatched(Deployments, patched, PatchBody.JsonPatchType, patch, FieldValidation.Warn, warnings);

        Assert.Equal(
        [
            "json patch unknown field \"[0].foo\"",
            "json patch duplicate field \"[1].path\"",
            "unknown field \"spec.unknown1\"",
            "unknown field \"spec.unknown3\"",
        ], warnings.Texts);
    }

    [Fact]
    public void DecodeBody_CustomResourceWarn_ListsDuplicatesMetadataPrunedThenEmbeddedMetadata()
    {
        var (validator, type) = CustomResource();
        var warnings = new WarningRecorder();

        var obj = validator.DecodeBody(type, InvalidCustomResource, null, FieldValidation.Warn, warnings);

        Assert.Equal(
        [
            "duplicate field \"metadata.name\"",
            "duplicate field \"spec.unknownDupe\"",
            "duplicate field \"spec.knownField1\"",
            "duplicate field \"spec.ports[0].hostPort\"",
            "unknown field \"metadata.unknownMeta\"",
            "unknown field \"spec.ports[0].unknownNested\"",
            "unknown field \"spec.unknown1\"",
            "unknown field \"spec.unknownDupe\"",
            "unknown field \"spec.embeddedObj.metadata.unknownEmbeddedMeta\"",
        ], warnings.Texts);
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"my-cm","namespace":"my-ns"}}""", obj["spec"]!["embeddedObj"]!.ToJsonString());
        Assert.Equal("val2", (string?)obj["spec"]!["knownField1"]);
    }

    [Fact]
    public void DecodeBody_CustomResourceStrict_NamesTheKindLikeABuiltin()
    {
        var (validator, type) = CustomResource();
        const string body = """{"apiVersion":"example.com/v1","kind":"Foo","metadata":{"name":"x"},"spec":{"knownField1":"a","bogus":1}}""";

        var e = Assert.Throws<StatusException>(() => validator.DecodeBody(type, body, null, FieldValidation.Strict, new WarningRecorder()));

        Assert.Equal("Foo in version \"v1\" cannot be handled as a Foo: strict decoding error: unknown field \"spec.bogus\"", e.Message);
    }

    public static TheoryData<string, string, string> CheckApplied_TestData() => new()
    {
        {
            "one unknown field, list-map item named by its key",
            """{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx","unknownNested":"x"}]}}}}""",
            "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers[name=\"nginx\"].unknownNested: field not declared in schema"
        },
        {
            "a map's walk stops at its first unknown field (in key order)",
            """{"spec":{"unknownA":1,"unknownB":2}}""",
            "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.unknownA: field not declared in schema"
        },
        {
            "unknown fields in several maps",
            """{"metadata":{"bogus":1},"spec":{"template":{"spec":{"containers":[{"name":"a","imagee":"x"}]}}}}""",
            "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): errors:\n  .metadata.bogus: field not declared in schema\n  .spec.template.spec.containers[name=\"a\"].imagee: field not declared in schema"
        },
    };

    [Theory]
    [MemberData(nameof(CheckApplied_TestData))]
    public void CheckApplied_UndeclaredFields_FailsLikeStructuredMergeDiff(string caseName, string fields, string message)
    {
        _ = caseName;
        var applied = JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"}}""")!.AsObject();
        foreach (var (k, v) in JsonNode.Parse(fields)!.AsObject())
        {
            if (applied[k] is JsonObject existing) foreach (var (k2, v2) in v!.AsObject()) existing[k2] = v2?.DeepClone();
            else applied[k] = v?.DeepClone();
        }

        var e = Assert.Throws<StatusException>(() => Validator().CheckApplied(Deployments, applied));

        Assert.Equal(500, e.Code);
        Assert.Equal("", e.Reason);
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain("reason", e.ToStatus().ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>Every object the recordings send (and what the server answered) declares only known fields.</summary>
    [Fact]
    public void RecordedObjects_BuiltinKinds_HaveNoUnknownFields()
    {
        var problems = new List<string>();
        var checkedObjects = 0;
        foreach (var file in Directory.EnumerateFiles(ReferenceFiles.Dir("scenarios")).Concat(Directory.EnumerateFiles(ReferenceFiles.Dir("defaults"))))
        {
            foreach (var step in (ReferenceFiles.Load(file)["steps"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var obj in new[] { step["request"]?["body"], step["response"]?["body"] }.OfType<JsonObject>())
                {
                    var apiVersion = (string?)obj["apiVersion"] ?? "";
                    var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
                    var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
                    if (obj["kind"] is null || ((string)obj["kind"]!).EndsWith("List", StringComparison.Ordinal) || BuiltinSchemas.Shared.Find(group, version, (string)obj["kind"]!) is not { } schema) continue;
                    checkedObjects++;
                    var text = obj.ToJsonString();
                    problems.AddRange(StrictJson.TypedErrors(text, schema).Select(e => $"{Path.GetFileName(file)} {obj["kind"]}: {e}"));
                    if ((string?)step["request"]?["contentType"] == "application/apply-patch+yaml" && ReferenceEquals(obj, step["request"]?["body"]))
                        problems.AddRange(UnknownFields.NotDeclaredForApply(obj, schema, builtin: true).Select(e => $"{Path.GetFileName(file)} apply: {e}"));
                }
            }
        }

        Assert.True(checkedObjects > 50, $"only {checkedObjects} objects checked");
        Assert.Empty(problems);
    }

    public static TheoryData<string, string, string> Plain_TestData() => new()
    {
        { "map keys sorted, strings bare", """{"b":"x y","a":1}""", "map[a:1 b:x y]" },
        { "nested list and null", """{"l":[1,"a",{"k":null}],"f":1.5,"t":true}""", "map[f:1.5 l:[1 a map[k:<nil>]] t:true]" },
        { "large float as %v prints it", """{"n":1e21}""", "map[n:1e+21]" },
        { "empty map and list", """{"m":{},"l":[]}""", "map[l:[] m:map[]]" },
    };

    [Theory]
    [MemberData(nameof(Plain_TestData))]
    public void Plain_UnstructuredValue_PrintsAsGoPercentV(string caseName, string json, string expected)
    {
        _ = caseName;
        Assert.Equal(expected, GitOps.Sandbox.Admission.GoFormat.Plain(JsonNode.Parse(json)));
    }

    [Fact]
    public void HeaderValue_Text_IsCode299AgentDashQuotedString()
    {
        Assert.Equal("299 - \"unknown field \\\"spec.a\\\\b\\\"\"", WarningRecorder.HeaderValue("unknown field \"spec.a\\b\""));
    }

    [Fact]
    public void Parse_DuplicateKeys_LastWins()
    {
        var node = StrictJson.Parse("""{"a":1,"b":{"c":1,"c":2},"a":3}""")!;

        Assert.Equal("""{"a":3,"b":{"c":2}}""", node.ToJsonString());
        Assert.Equal(["duplicate field \"b.c\"", "duplicate field \"a\""], StrictJson.Duplicates("""{"a":1,"b":{"c":1,"c":2},"a":3}"""));
    }

    [Fact]
    public void Duplicates_YamlKeys_ReportedAtTheRepeatedKeysLineAndLastWins()
    {
        const string yaml = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\nd: &x {e: 1}\nf: *x\n";

        Assert.Equal(["line 4: key \"c\" already set in map", "line 5: key \"a\" already set in map"], YamlJson.Duplicates(yaml));
        Assert.Equal("""{"a":3,"b":{"c":2},"d":{"e":1},"f":{"e":1}}""", YamlJson.Parse(yaml)!.ToJsonString());
    }

    [Fact]
    public void CheckAppliedYaml_StrictDuplicateKeys_FailsLikeGoYaml()
    {
        // The shape of the upstream test's applyInvalidBody: JSON read as YAML, the second "paused" on line 10.
        const string body = """
            {
              "apiVersion": "apps/v1",
              "kind": "Deployment",
              "metadata": {
                "name": "apply",
                "labels": {"app": "nginx"}
              },
              "spec": {
                "paused": false,
                "paused": true,
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": {
                  "metadata": {"labels": {"app": "nginx"}},
                  "spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "imagePullPolicy": "Never", "imagePullPolicy": "Always"}]}
                }
              }
            }
            """;
        var warnings = new WarningRecorder();

        var e = Assert.Throws<StatusException>(() => FieldValidator.CheckAppliedYaml(YamlJson.Duplicates(body), FieldValidation.Strict, warnings));
        FieldValidator.CheckAppliedYaml(YamlJson.Duplicates(body), FieldValidation.Warn, warnings);
        FieldValidator.CheckAppliedYaml(YamlJson.Duplicates(body), FieldValidation.Ignore, null);

        Assert.Equal(400, e.Code);
        Assert.Equal("error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
            + "  line 10: key \"paused\" already set in map\n  line 14: key \"imagePullPolicy\" already set in map", e.Message);
        Assert.Equal(["line 10: key \"paused\" already set in map", "line 14: key \"imagePullPolicy\" already set in map"], warnings.Texts);
    }

    [Fact]
    public void DecodeBody_YamlStrict_ListsGoYamlErrorThenUnknownFieldsInKeyOrder()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: y
              name: y
              unknownMeta: x
            spec:
              unknown1: 1
              selector: {matchLabels: {app: y}}
              template:
                metadata: {labels: {app: y}}
                spec:
                  containers:
                  - {name: app, image: nginx, unknownNested: 1}
            """;

        var e = Assert.Throws<StatusException>(() => Validator().DecodeBody(Deployments, yaml, "application/yaml", FieldValidation.Strict, new WarningRecorder()));

        Assert.Equal("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: yaml: unmarshal errors:\n"
            + "  line 5: key \"name\" already set in map, unknown field \"metadata.unknownMeta\", "
            + "unknown field \"spec.template.spec.containers[0].unknownNested\", unknown field \"spec.unknown1\"", e.Message);
    }

    private static FieldValidator Validator() => new(BuiltinSchemas.Shared);

    private static (FieldValidator Validator, ResourceType Type) CustomResource()
    {
        var registry = new ResourceRegistry();
        var custom = new CustomResources(registry);
        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"foos.example.com"},
             "spec":{"group":"example.com","scope":"Cluster","names":{"plural":"foos","singular":"foo","kind":"Foo"},
              "versions":[{"name":"v1","served":true,"storage":true,"schema":{}}]}}
            """)!.AsObject();
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"] = JsonNode.Parse(CrdSchema);
        custom.Register(crd);
        return (new FieldValidator(new CompositeSchemas(BuiltinSchemas.Shared, custom)), registry.Find("example.com", "v1", "foos")!);
    }
}
