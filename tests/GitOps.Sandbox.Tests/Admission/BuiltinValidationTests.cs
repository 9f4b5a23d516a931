using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using Xunit;

namespace GitOps.Sandbox.Tests.Admission;

public sealed class BuiltinValidationTests
{
    /// <summary>The 422 steps of errors.json that come from object validation (not from patch decoding).</summary>
    public static TheoryData<string, int> RecordedInvalid_TestData()
    {
        var data = new TheoryData<string, int>();
        var steps = ReferenceFiles.Steps("scenarios/errors.json").ToList();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step["request"]!["method"]!.GetValue<string>() != "POST" || step["response"]!["code"]!.GetValue<int>() != 422) continue;
            data.Add(step["request"]!["body"]!["metadata"]!["name"]!.GetValue<string>(), i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RecordedInvalid_TestData))]
    public void Validate_RecordedInvalidCreate_ReturnsServerStatus(string caseName, int stepIndex)
    {
        Assert.NotNull(caseName);
        var step = ReferenceFiles.Steps("scenarios/errors.json").ElementAt(stepIndex);
        var body = step["request"]!["body"]!.DeepClone().AsObject();
        var expected = step["response"]!["body"]!.AsObject();
        var apiVersion = body["apiVersion"]!.GetValue<string>();
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion.Split('/')[0] : "";
        var kind = body["kind"]!.GetValue<string>();
        var name = body["metadata"]!["name"]!.GetValue<string>();

        BuiltinDefaults.Apply(group, kind, body, new SequentialAllocator());
        var causes = BuiltinValidation.Validate(group, kind, body);
        var status = AdmissionStatus.InvalidStatus(group, kind, name, causes);

        var diffs = ReferenceFiles.Diff(expected, status);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    public static TheoryData<string, string, string, string[]> Causes_TestData() => new()
    {
        {
            "NamespaceNameWithDot", "Namespace", """{"metadata":{"name":"a.b"}}""",
            ["metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
        },
        {
            "ServiceNameStartingWithDigit", "Service", """{"metadata":{"name":"1svc"},"spec":{"ports":[{"port":80}]}}""",
            ["metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
        },
        {
            "ConfigMapBadKeyAndLabel", "ConfigMap", """{"metadata":{"name":"cm","labels":{"a":"b c"}},"data":{"bad key":"x"}}""",
            [
                "metadata.labels: Invalid value: \"b c\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            ]
        },
        {
            "DeploymentContainerWithoutNameOrImage", "Deployment",
            """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{}]}}}}""",
            ["spec.template.spec.containers[0].name: Required value", "spec.template.spec.containers[0].image: Required value"]
        },
        {
            "StatefulSetSelectorMismatch", "StatefulSet",
            """{"metadata":{"name":"s"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"c"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"c\"}: `selector` does not match template `labels`"]
        },
        {
            "MissingName", "ConfigMap", """{"metadata":{}}""",
            ["metadata.name: Required value: name or generateName is required"]
        },
        {
            "ValidPod", "Pod", """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""",
            []
        },
    };

    [Theory]
    [MemberData(nameof(Causes_TestData))]
    public void Validate_DefaultedObject_ReturnsCauses(string caseName, string kind, string json, string[] expected)
    {
        Assert.NotNull(caseName);
        var group = kind is "Deployment" or "StatefulSet" ? "apps" : "";
        var obj = JsonNode.Parse(json)!.AsObject();
        BuiltinDefaults.Apply(group, kind, obj, new SequentialAllocator());
        var causes = BuiltinValidation.Validate(group, kind, obj);
        Assert.Equal(expected, causes.Select(c => c.ToString()).ToArray());
    }

    public static TheoryData<string, string[], string> InvalidMessage_TestData() => new()
    {
        { "None", [], "Deployment.apps \"x\" is invalid" },
        { "One", ["spec.a: Required value"], "Deployment.apps \"x\" is invalid: spec.a: Required value" },
        { "DuplicatesCollapsed", ["spec.a: Required value", "spec.a: Required value", "spec.b: Required value"], "Deployment.apps \"x\" is invalid: [spec.a: Required value, spec.b: Required value]" },
    };

    [Theory]
    [MemberData(nameof(InvalidMessage_TestData))]
    public void InvalidMessage_Causes_FormatsLikeServer(string caseName, string[] fields, string expected)
    {
        Assert.NotNull(caseName);
        var causes = fields.Select(f => new StatusCause("FieldValueRequired", "Required value", f.Split(':')[0]));
        Assert.Equal(expected, AdmissionStatus.InvalidMessage("Deployment.apps", "x", causes));
    }
}
