using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Admission;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// Built-in objects as kube-apiserver 1.26 writes them (Go's encoding/json over the API structs): a
/// non-pointer struct is always there (<c>status: {}</c>, a template's <c>metadata</c>), a zero
/// metav1.Time is <c>null</c>, a zero count without omitempty is <c>0</c>. Each case sends a recorded
/// create (src/GitOps.Sandbox/Reference/defaults) and compares the named parts of the answer with
/// the recorded one, including the creating manager's field set where it depends on those zero
/// values (a struct that already existed is not owned as a member) or on what the server sets after
/// field management (a Namespace's finalizer, a Service's allocated IPs and ports, a claim's
/// protection finalizer).
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GoZeroValuesTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    private const string FieldsV1 = "/metadata/managedFields/0/fieldsV1";

    /// <summary>Recorded defaults file, collection path ({ns} for the test namespace), JSON pointers compared.</summary>
    public static TheoryData<string, string, string, string[]> RecordedCreate_TestData() => new()
    {
        { "Deployment", "defaults/Deployment.json", "apis/apps/v1/namespaces/{ns}/deployments", ["/status", "/spec/template/metadata", FieldsV1] },
        { "StatefulSet", "defaults/StatefulSet.json", "apis/apps/v1/namespaces/{ns}/statefulsets",
          ["/status", "/spec/template/metadata", "/spec/volumeClaimTemplates/0/metadata", "/spec/volumeClaimTemplates/0/status", FieldsV1] },
        { "DaemonSet", "defaults/DaemonSet.json", "apis/apps/v1/namespaces/{ns}/daemonsets", ["/status", "/spec/template/metadata", FieldsV1] },
        { "ReplicaSet", "defaults/ReplicaSet.json", "apis/apps/v1/namespaces/{ns}/replicasets", ["/status", "/spec/template/metadata", FieldsV1] },
        { "Job", "defaults/Job.json", "apis/batch/v1/namespaces/{ns}/jobs", ["/status", "/spec/template/metadata/creationTimestamp"] },
        { "CronJob", "defaults/CronJob.json", "apis/batch/v1/namespaces/{ns}/cronjobs", ["/status", "/spec/jobTemplate/metadata", "/spec/jobTemplate/spec/template/metadata", FieldsV1] },
        { "PodDisruptionBudget", "defaults/PodDisruptionBudget.json", "apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", ["/status", FieldsV1] },
        { "HorizontalPodAutoscaler", "defaults/HorizontalPodAutoscaler.json", "apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers", ["/status", FieldsV1] },
        { "NetworkPolicy", "defaults/NetworkPolicy.json", "apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies", ["/status", "/spec/podSelector", FieldsV1] },
        { "Ingress", "defaults/Ingress.json", "apis/networking.k8s.io/v1/namespaces/{ns}/ingresses", ["/status", FieldsV1] },
        { "Event", "defaults/Event.json", "api/v1/namespaces/{ns}/events",
          ["/firstTimestamp", "/lastTimestamp", "/eventTime", "/source", "/reportingComponent", "/reportingInstance", FieldsV1] },
        { "Namespace", "defaults/Namespace.json", "api/v1/namespaces", ["/spec", "/status", FieldsV1] },
        // What the registry allocates and admission adds after field management is nobody's.
        { "Service-ClusterIP", "defaults/Service-ClusterIP.json", "api/v1/namespaces/{ns}/services", ["/status", FieldsV1] },
        { "Service-NodePort", "defaults/Service-NodePort.json", "api/v1/namespaces/{ns}/services", ["/status", FieldsV1] },
        { "Service-Headless", "defaults/Service-Headless.json", "api/v1/namespaces/{ns}/services", ["/status", FieldsV1] },
        { "PersistentVolumeClaim", "defaults/PersistentVolumeClaim.json", "api/v1/namespaces/{ns}/persistentvolumeclaims", ["/status", "/metadata/finalizers", FieldsV1] },
    };

    [Theory]
    [MemberData(nameof(RecordedCreate_TestData))]
    public async Task Create_RecordedMinimalObject_AnswersWithKubeApiserversZeroValues(string caseName, string file, string path, string[] pointers)
    {
        var step = ReferenceFiles.Steps(file).Single();
        var body = step["request"]!["body"]!.DeepClone().AsObject();
        var recorded = step["response"]!["body"]!;
        var ns = await target.NewNamespaceAsync("zero");
        var metadata = body["metadata"]!.AsObject();
        if (caseName == "Namespace") metadata["name"] = ns + "-x";
        else metadata["namespace"] = ns;
        if (body["involvedObject"] is JsonObject involved) involved["namespace"] = ns;

        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Post, path.Replace("{ns}", ns, StringComparison.Ordinal), body.ToJsonString(), "application/json");
        try
        {
            Assert.True(code == HttpStatusCode.Created, $"{caseName}: {(int)code} {text}");
            var created = JsonNode.Parse(text)!;
            foreach (var pointer in pointers)
            {
                var (expectedFound, expected) = At(recorded, pointer);
                var (actualFound, actual) = At(created, pointer);
                Assert.True(expectedFound, $"{caseName}: the recording has no {pointer}");
                Assert.True(actualFound, $"{caseName}: {pointer} missing, expected {expected?.ToJsonString() ?? "null"}");
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{caseName}: {pointer} expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
            }
        }
        finally
        {
            if (caseName == "Namespace") await Conform.RawAsync(Client, HttpMethod.Delete, $"api/v1/namespaces/{ns}-x");
        }
    }

    /// <summary>The value at a JSON pointer (without escapes), and whether it is there at all (a null value is).</summary>
    internal static (bool Found, JsonNode? Value) At(JsonNode? node, string pointer)
    {
        foreach (var token in pointer.Trim('/').Split('/'))
        {
            switch (node)
            {
                case JsonObject o when o.TryGetPropertyValue(token, out var child): node = child; break;
                case JsonArray a when int.TryParse(token, out var i) && i < a.Count: node = a[i]; break;
                default: return (false, null);
            }
        }
        return (true, node);
    }
}
