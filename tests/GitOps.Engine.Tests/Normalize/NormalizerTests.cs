using System.Text.Json.Nodes;
using GitOps.Engine.Normalize;

namespace GitOps.Engine.Tests.Normalize;

/// <summary>One case (at least) per rule; each rule's xref names the upstream issue it works around.</summary>
public class NormalizerTests
{
    public static TheoryData<string, INormalizer, string, string> Normalize_TestData() => new()
    {
        {
            "server metadata and last-applied stripped",
            new StripServerMetadata(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  uid: u\n  resourceVersion: '5'\n  generation: 2\n  creationTimestamp: '2026-01-01T00:00:00Z'\n  selfLink: /x\n  deletionTimestamp: '2026-01-02T00:00:00Z'\n  deletionGracePeriodSeconds: 30\n  managedFields: [{manager: m}]\n  annotations: {kubectl.kubernetes.io/last-applied-configuration: '{}', keep: 'yes'}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: {keep: 'yes'}\n"
        },
        { "status stripped", new StripStatus(), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Running}\n", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" },
        {
            "Secret stringData folded into data, stringData wins",
            new SecretStringData(),
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: b2xk, c: Yw==}\nstringData: {a: new}\n",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: bmV3, c: Yw==}\n"
        },
        { "stringData without data", new SecretStringData(), "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: dg==}\n" },
        { "stringData on another kind is left alone", new SecretStringData(), "apiVersion: example.com/v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n", "apiVersion: example.com/v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n" },
        { "empty labels and null annotations removed", new EmptyMetadataMaps(), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {}, annotations: null}\n", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n" },
        {
            "chain: last-applied was the only annotation",
            NormalizerChain.Default,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, resourceVersion: '1', annotations: {kubectl.kubernetes.io/last-applied-configuration: '{}'}}\nstatus: {x: 1}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
        },
    };

    [Theory]
    [MemberData(nameof(Normalize_TestData))]
    public void Normalize_Object_RemovesNoise(string caseName, INormalizer normalizer, string inputYaml, string expectedYaml)
    {
        var input = TestJson.Obj(inputYaml);
        var before = input.ToJsonString();

        var output = normalizer.Normalize(input);

        Assert.True(JsonNode.DeepEquals(TestJson.Obj(expectedYaml), output), $"{caseName}: {output.ToJsonString()}");
        Assert.Equal(before, input.ToJsonString());
    }

    [Fact]
    public void Default_Order_IsFixed()
    {
        Assert.Equal("SecretStringData → StripServerMetadata → StripStatus → EmptyMetadataMaps", NormalizerChain.Default.ToString());
    }
}
