using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Schema;
using Xunit;

namespace GitOps.Sandbox.Tests.Admission;

public sealed class CrdAdmissionTests
{
    private static List<JsonObject> Steps() => ReferenceFiles.Steps("scenarios/crd-lifecycle.json").ToList();

    private static SchemaNode WidgetSchema()
    {
        var crd = Steps()[0]["request"]!["body"]!.AsObject();
        var schema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        return new OpenApiSchemaReader(null, readDefaults: true).Read(schema);
    }

    private static SchemaNode Schema(string json) =>
        new OpenApiSchemaReader(null, readDefaults: true).Read(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void CrdDefaultsApply_RecordedCreate_MatchesServerResponse()
    {
        var step = Steps()[0];
        var crd = step["request"]!["body"]!.DeepClone().AsObject();
        var expected = step["response"]!["body"]!.DeepClone().AsObject();

        CrdDefaults.Apply(crd);

        Assert.Empty(CrdValidation.Validate(crd));
        var metadata = expected["metadata"]!.AsObject();
        foreach (var f in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields", "generation" }) metadata.Remove(f);
        ReferenceFiles.DropNulls(expected);
        var diffs = ReferenceFiles.Diff(expected, crd);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    /// <summary>The POSTs of custom resources in crd-lifecycle.json: created (pruned, defaulted) or refused (422).</summary>
    public static TheoryData<string, int> RecordedCustomResourceCreate_TestData()
    {
        var data = new TheoryData<string, int>();
        var steps = Steps();
        for (var i = 0; i < steps.Count; i++)
        {
            var request = steps[i]["request"]!;
            if (request["method"]!.GetValue<string>() == "POST" && request["path"]!.GetValue<string>().EndsWith("/widgets", StringComparison.Ordinal))
                data.Add(request["body"]!["metadata"]!["name"]!.GetValue<string>(), i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RecordedCustomResourceCreate_TestData))]
    public void Admit_RecordedCustomResourceCreate_MatchesServerResponse(string caseName, int stepIndex)
    {
        Assert.NotNull(caseName);
        var step = Steps()[stepIndex];
        var obj = step["request"]!["body"]!.DeepClone().AsObject();
        var expected = step["response"]!["body"]!.DeepClone().AsObject();
        var schema = WidgetSchema();

        CrdSchemaAdmission.Prune(obj, schema);
        CrdSchemaAdmission.ApplyDefaults(obj, schema);
        var causes = CrdSchemaAdmission.Validate(obj, schema);

        JsonNode actual;
        if (step["response"]!["code"]!.GetValue<int>() == 422)
        {
            actual = AdmissionStatus.InvalidStatus("reference.example.com", "Widget", obj["metadata"]!["name"]!.GetValue<string>(), causes);
        }
        else
        {
            Assert.Empty(causes);
            foreach (var f in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" }) expected["metadata"]!.AsObject().Remove(f);
            actual = obj;
        }
        var diffs = ReferenceFiles.Diff(expected, actual);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    private const string NestedSchema = """
        {"type":"object","properties":{
          "spec":{"type":"object","properties":{
            "outer":{"type":"object","properties":{"inner":{"type":"string","default":"d"}}},
            "withDefault":{"type":"object","default":{},"properties":{"x":{"type":"integer","default":3}}},
            "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer","default":80}}}},
            "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"known":{"type":"object","properties":{"a":{"type":"string"}}}}},
            "embedded":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object","properties":{"a":{"type":"string"}}}}},
            "labels":{"type":"object","additionalProperties":{"type":"string"}},
            "nullableDefault":{"type":"string","default":"n"},
            "plainNull":{"type":"string"}
          }}}}
        """;

    public static TheoryData<string, string, string> PruneAndDefault_TestData() => new()
    {
        {
            "NestedDefaultOnlyUnderExistingParent",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{}}""",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"withDefault":{"x":3},"nullableDefault":"n"}}"""
        },
        {
            "NestedDefaultWhenParentPresent",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"outer":{}}}""",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"outer":{"inner":"d"},"withDefault":{"x":3},"nullableDefault":"n"}}"""
        },
        {
            "ListItemsDefaulted",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"items":[{"name":"a"},{"name":"b","port":81}]}}""",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"items":[{"name":"a","port":80},{"name":"b","port":81}],"withDefault":{"x":3},"nullableDefault":"n"}}"""
        },
        {
            "UnknownFieldsPrunedButPreservedWhereAllowed",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"extra":1,"spec":{"bogus":true,"free":{"any":{"thing":1},"known":{"a":"1","b":"2"}},"labels":{"k":"v"}}}""",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"free":{"any":{"thing":1},"known":{"a":"1"}},"labels":{"k":"v"},"withDefault":{"x":3},"nullableDefault":"n"}}"""
        },
        {
            "EmbeddedResourceKeepsTypeMeta",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"embedded":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"spec":{"a":"1","b":"2"},"data":{}}}}""",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"embedded":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"spec":{"a":"1"}},"withDefault":{"x":3},"nullableDefault":"n"}}"""
        },
        {
            "NullsReplacedByDefaultOrDropped",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"nullableDefault":null,"plainNull":null}}""",
            """{"apiVersion":"a/v1","kind":"K","metadata":{"name":"x"},"spec":{"withDefault":{"x":3},"nullableDefault":"n"}}"""
        },
    };

    [Theory]
    [MemberData(nameof(PruneAndDefault_TestData))]
    public void PruneAndApplyDefaults_Object_MatchesStructuralSemantics(string caseName, string input, string expected)
    {
        Assert.NotNull(caseName);
        var schema = Schema(NestedSchema);
        var obj = JsonNode.Parse(input)!.AsObject();
        CrdSchemaAdmission.Prune(obj, schema);
        CrdSchemaAdmission.ApplyDefaults(obj, schema);
        var diffs = ReferenceFiles.Diff(JsonNode.Parse(expected), obj);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    private const string ValidationSchema = """
        {"type":"object","properties":{"spec":{"type":"object","required":["name"],"properties":{
          "name":{"type":"string","minLength":2,"maxLength":5,"pattern":"^[a-z]+$"},
          "count":{"type":"integer","maximum":10},
          "ratio":{"type":"number"},
          "port":{"x-kubernetes-int-or-string":true},
          "maybe":{"type":"string","nullable":true},
          "tags":{"type":"array","minItems":1,"maxItems":2,"items":{"type":"string"}},
          "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}}
        }}}}
        """;

    public static TheoryData<string, string, string[]> Validate_TestData() => new()
    {
        { "Valid", """{"name":"abc","count":3,"ratio":1.5,"port":"http","maybe":null,"tags":["a"]}""", [] },
        { "MissingRequired", """{}""", ["spec.name: Required value"] },
        {
            "WrongTypes", """{"name":"ab","count":"3","ratio":true,"port":1.5}""",
            [
                "spec.count: Invalid value: \"string\": spec.count in body must be of type integer: \"string\"",
                "spec.port: Invalid value: \"number\": spec.port in body must be of type integer,string: \"number\"",
                "spec.ratio: Invalid value: \"boolean\": spec.ratio in body must be of type number: \"boolean\"",
            ]
        },
        {
            "StringLimits", """{"name":"ABCDEFG"}""",
            [
                "spec.name: Too long: may not be longer than 5",
                "spec.name: Invalid value: \"ABCDEFG\": spec.name in body should match '^[a-z]+$'",
            ]
        },
        { "TooShort", """{"name":"a"}""", ["spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long"] },
        { "Maximum", """{"name":"ab","count":11}""", ["spec.count: Invalid value: 11: spec.count in body should be less than or equal to 10"] },
        {
            "Items", """{"name":"ab","tags":["a","b","c"]}""",
            ["spec.tags: Too many: 3: must have at most 2 items"]
        },
        { "MinItems", """{"name":"ab","tags":[]}""", ["spec.tags: Invalid value: []interface {}{}: spec.tags in body should have at least 1 items"] },
        { "NullNotNullable", """{"name":null}""", ["spec.name: Invalid value: \"null\": spec.name in body must be of type string: \"null\""] },
        {
            "DuplicateMapKey", """{"name":"ab","ports":[{"name":"a"},{"name":"a"}]}""",
            ["spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"a\"}"]
        },
    };

    [Theory]
    [MemberData(nameof(Validate_TestData))]
    public void Validate_Spec_ReturnsCauses(string caseName, string spec, string[] expected)
    {
        Assert.NotNull(caseName);
        var obj = new JsonObject { ["apiVersion"] = "a/v1", ["kind"] = "K", ["metadata"] = new JsonObject { ["name"] = "x" }, ["spec"] = JsonNode.Parse(spec) };
        var causes = CrdSchemaAdmission.Validate(obj, Schema(ValidationSchema));
        Assert.Equal(expected, causes.Select(c => c.ToString()).ToArray());
    }

    private const string ValidCrd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
        """;

    public static TheoryData<string, string, string, string[]> CrdValidate_TestData() => new()
    {
        { "Valid", "", "", [] },
        { "NameNotPluralDotGroup", "/metadata/name", "\"widget.example.com\"", ["metadata.name: Invalid value: \"widget.example.com\": must be spec.names.plural+\".\"+spec.group"] },
        { "ScopeUnsupported", "/spec/scope", "\"Global\"", ["spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\""] },
        { "GroupWithoutDot", "/spec/group", "\"example\"", ["metadata.name: Invalid value: \"widgets.example.com\": must be spec.names.plural+\".\"+spec.group", "spec.group: Invalid value: \"example\": should be a domain with at least one dot"] },
        {
            "NoVersions", "/spec/versions", "[]",
            ["spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{}: must have exactly one version marked as storage version"]
        },
        {
            "NoStorageVersion", "/spec/versions", """[{"name":"v1","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}}]""",
            ["spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:\"v1\", Served:true, Storage:false, Deprecated:false, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(nil), Subresources:(*apiextensions.CustomResourceSubresources)(nil), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil)}}: must have exactly one version marked as storage version"]
        },
        { "KindMissing", "/spec/names", """{"plural":"widgets"}""", ["spec.names.singular: Required value", "spec.names.kind: Required value", "spec.names.listKind: Required value"] },
        { "SchemaMissing", "/spec/versions", """[{"name":"v1","served":true,"storage":true}]""", ["spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"] },
    };

    [Theory]
    [MemberData(nameof(CrdValidate_TestData))]
    public void CrdValidate_DefaultedCrd_ReturnsCauses(string caseName, string pointer, string replacement, string[] expected)
    {
        Assert.NotNull(caseName);
        var crd = JsonNode.Parse(ValidCrd)!.AsObject();
        if (pointer.Length > 0)
        {
            var parts = pointer.Trim('/').Split('/');
            var parent = crd;
            foreach (var p in parts[..^1]) parent = parent[p]!.AsObject();
            parent[parts[^1]] = JsonNode.Parse(replacement);
        }
        CrdDefaults.Apply(crd);
        var causes = CrdValidation.Validate(crd);
        Assert.Equal(expected, causes.Select(c => c.ToString()).ToArray());
    }
}
