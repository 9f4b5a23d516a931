using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Admission;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// Writes through the status subresource that carry zero values, answered as kube-apiserver 1.26
/// answers them: the status is decoded into its Go struct and encoded again, so a zero count with
/// omitempty disappears, one without stays 0, an empty list with omitempty disappears, a zero
/// metav1.Time is null; and the writer's managedFields entry (subresource "status") owns what the
/// write changed in that encoded status, nothing it zeroed away. Each write replaces the whole
/// status with values no controller writes, so the answer does not depend on what a controller
/// wrote before.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StatusZeroValuesTests(ApiTarget target)
{
    private const string Manager = "zero-test";
    private const string JsonPatch = "application/json-patch+json";
    private const string MergePatch = "application/merge-patch+json";

    private Kubernetes Client => target.Client;

    private const string Template = """
        "selector":{"matchLabels":{"app":"z"}},"template":{"metadata":{"labels":{"app":"z"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}
        """;

    /// <summary>An apps/v1 workload with a one-container template; <paramref name="spec"/> starts its spec.</summary>
    private static string Workload(string kind, string name, string spec) =>
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec + Template + "}}";

    /// <summary>A status write replacing the whole status (JSON patch): "content type, space, body".</summary>
    private static string Replace(string status) => JsonPatch + """ [{"op":"replace","path":"/status","value":""" + status + "}]";

    /// <summary>A status write merging into the status (merge patch).</summary>
    private static string Merge(string status) => MergePatch + """ {"status":""" + status + "}";

    /// <summary>
    /// Collection path, object, status writes in order, the status answered to the last one, and the
    /// writer's status field set after it (null: not compared). The last flag marks kinds whose status
    /// a real cluster's controllers rewrite between two writes (those cases run on the sandbox only).
    /// </summary>
    public static TheoryData<string, string, string, string[], string, string?, bool> StatusWrite_TestData() => new()
    {
        {
            "Deployment: omitempty zero counts and an empty list dropped",
            "apis/apps/v1/namespaces/{ns}/deployments",
            Workload("Deployment", "d", "\"replicas\":1,"),
            [Replace("""{"observedGeneration":7,"replicas":5,"updatedReplicas":0,"readyReplicas":0,"availableReplicas":0,"unavailableReplicas":5,"conditions":[]}""")],
            """{"observedGeneration":7,"replicas":5,"unavailableReplicas":5}""",
            """{"f:status":{"f:observedGeneration":{},"f:replicas":{},"f:unavailableReplicas":{}}}""",
            false
        },
        {
            "DaemonSet: counts without omitempty stay 0, and unchanged are not owned",
            "apis/apps/v1/namespaces/{ns}/daemonsets",
            Workload("DaemonSet", "ds", ""),
            [Replace("""{"currentNumberScheduled":9,"numberMisscheduled":0,"desiredNumberScheduled":9,"numberReady":9,"observedGeneration":7,"updatedNumberScheduled":0,"numberAvailable":0,"numberUnavailable":0}""")],
            """{"currentNumberScheduled":9,"numberMisscheduled":0,"desiredNumberScheduled":9,"numberReady":9,"observedGeneration":7}""",
            """{"f:status":{"f:currentNumberScheduled":{},"f:desiredNumberScheduled":{},"f:numberReady":{},"f:observedGeneration":{}}}""",
            false
        },
        {
            "ReplicaSet: replicas 0 stays, the other zero counts go",
            "apis/apps/v1/namespaces/{ns}/replicasets",
            Workload("ReplicaSet", "rs", "\"replicas\":0,"),
            [Replace("""{"replicas":0,"fullyLabeledReplicas":0,"readyReplicas":0,"availableReplicas":0,"observedGeneration":7}""")],
            """{"replicas":0,"observedGeneration":7}""",
            """{"f:status":{"f:observedGeneration":{}}}""",
            false
        },
        {
            "StatefulSet: replicas and availableReplicas stay 0, empty revisions go",
            "apis/apps/v1/namespaces/{ns}/statefulsets",
            Workload("StatefulSet", "ss", "\"serviceName\":\"ss\",\"replicas\":0,"),
            [Replace("""{"replicas":0,"readyReplicas":0,"currentReplicas":0,"updatedReplicas":0,"currentRevision":"","updateRevision":"","observedGeneration":7,"availableReplicas":0}""")],
            """{"observedGeneration":7,"replicas":0,"availableReplicas":0}""",
            """{"f:status":{"f:observedGeneration":{}}}""",
            false
        },
        {
            "PodDisruptionBudget: counts without omitempty stay 0, an empty map goes",
            "apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"none"}}}}""",
            [Replace("""{"observedGeneration":7,"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":3,"expectedPods":0,"disruptedPods":{},"conditions":[]}""")],
            """{"observedGeneration":7,"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":3,"expectedPods":0}""",
            """{"f:status":{"f:desiredHealthy":{},"f:observedGeneration":{}}}""",
            false
        },
        {
            "PodDisruptionBudget back to zero: a count without omitempty is still owned, one with it is not",
            "apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"none"}}}}""",
            [
                Replace("""{"observedGeneration":7,"disruptionsAllowed":0,"currentHealthy":2,"desiredHealthy":3,"expectedPods":2}"""),
                Merge("""{"observedGeneration":0,"currentHealthy":0}"""),
            ],
            """{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":3,"expectedPods":2}""",
            """{"f:status":{"f:currentHealthy":{},"f:desiredHealthy":{},"f:expectedPods":{}}}""",
            true
        },
        {
            "HorizontalPodAutoscaler v2: currentReplicas has omitempty, currentMetrics none",
            "apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers",
            """{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"hpa"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"none"},"maxReplicas":5}}""",
            [Replace("""{"currentReplicas":0,"desiredReplicas":3,"currentMetrics":null,"conditions":[]}""")],
            """{"desiredReplicas":3,"currentMetrics":null}""",
            """{"f:status":{"f:desiredReplicas":{}}}""",
            false
        },
        {
            "Service: empty strings of a load balancer ingress go",
            "api/v1/namespaces/{ns}/services",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]}}""",
            [Replace("""{"loadBalancer":{"ingress":[{"ip":"203.0.113.7","hostname":""}]},"conditions":[]}""")],
            """{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"}]}}""",
            """{"f:status":{"f:loadBalancer":{"f:ingress":{}}}}""",
            false
        },
        {
            "Service back to zero: an empty ingress list goes, the struct stays, nothing is owned",
            "api/v1/namespaces/{ns}/services",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]}}""",
            [
                Replace("""{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"}]}}"""),
                Merge("""{"loadBalancer":{"ingress":[]}}"""),
            ],
            """{"loadBalancer":{}}""",
            "",
            false
        },
        {
            "Namespace: a condition's zero time is null, its empty reason and message go",
            "api/v1/namespaces/{ns}",
            "",
            [Merge("""{"conditions":[{"type":"NamespaceDeletionDiscoveryFailure","status":"False","reason":"","message":""}]}""")],
            """{"phase":"Active","conditions":[{"type":"NamespaceDeletionDiscoveryFailure","status":"False","lastTransitionTime":null}]}""",
            null,
            false
        },
    };

    [Theory]
    [MemberData(nameof(StatusWrite_TestData))]
    public async Task PatchStatus_ZeroValues_AnsweredAndOwnedAsKubeApiserver(
        string caseName, string collection, string manifest, string[] writes, string expectedStatus, string? expectedFields, bool rewrittenOnRealCluster)
    {
        if (rewrittenOnRealCluster && target.IsRealCluster) return; // a real cluster's controller writes this status between the two writes
        var ns = await target.NewNamespaceAsync("status");
        var path = collection.Replace("{ns}", ns, StringComparison.Ordinal);
        if (manifest.Length > 0)
        {
            var (createCode, createText, _) = await Conform.RawAsync(Client, HttpMethod.Post, path, manifest);
            Assert.True(createCode == HttpStatusCode.Created, $"{caseName}: create {(int)createCode} {createText}");
            path += "/" + (string)JsonNode.Parse(manifest)!["metadata"]!["name"]!;
        }

        JsonNode? answer = null;
        foreach (var write in writes)
        {
            var (contentType, body) = (write[..write.IndexOf(' ', StringComparison.Ordinal)], write[(write.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Patch, $"{path}/status?fieldManager={Manager}", body, contentType);
            Assert.True(code == HttpStatusCode.OK, $"{caseName}: {(int)code} {text}");
            answer = JsonNode.Parse(text);
        }

        var statusDiffs = ReferenceFiles.Diff(JsonNode.Parse(expectedStatus), answer!["status"], "status");
        Assert.True(statusDiffs.Count == 0, $"{caseName}:\n{string.Join("\n", statusDiffs)}");
        if (expectedFields is null) return;
        var entry = answer["metadata"]!["managedFields"]!.AsArray()
            .SingleOrDefault(e => (string?)e!["manager"] == Manager && (string?)e!["subresource"] == "status");
        if (expectedFields.Length == 0)
        {
            Assert.True(entry is null, $"{caseName}: expected no {Manager} status entry, got {entry?.ToJsonString()}");
            return;
        }
        Assert.True(entry is not null, $"{caseName}: no {Manager} status entry in {answer["metadata"]!["managedFields"]!.ToJsonString()}");
        Assert.Equal("Update", (string?)entry["operation"]);
        var fieldDiffs = ReferenceFiles.Diff(JsonNode.Parse(expectedFields), entry["fieldsV1"], "fieldsV1");
        Assert.True(fieldDiffs.Count == 0, $"{caseName}:\n{string.Join("\n", fieldDiffs)}");
    }
}
