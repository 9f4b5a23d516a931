using System.Net;
using System.Text.Json.Nodes;
using GitOps.Testing;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// The revisions kube-controller-manager's deployment controller keeps: a new ReplicaSet for each
/// new pod template gets the next revision (one more than its older ReplicaSets'), an older template
/// coming back gets the next revision again (its old one kept in revision-history), a scale keeps
/// the revision; the ReplicaSet carries desired-replicas and max-replicas (replicas plus the rolling
/// update's surge) and the Deployment's other annotations; the Deployment carries its new
/// ReplicaSet's revision, written through the status subresource by kube-controller-manager.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeploymentRevisionTests(ApiTarget target)
{
    private const string Revision = "deployment.kubernetes.io/revision";
    private const string ControllerManager = "kube-controller-manager";

    private Kubernetes Client => target.Client;

    /// <summary>
    /// Deployment annotations at create ("" for none), the changes made after it ("image=..." or
    /// "replicas=N", one write each), then the Deployment's revision, and for each image its
    /// ReplicaSet's revision annotations ("image=revision", with "|history" when it has one); the
    /// current one's desired and max replicas; whether the Deployment's annotations map was there
    /// before the controller's (its "." member is then not the controller's).
    /// </summary>
    public static TheoryData<string, string, string[], string, string[], string> Revision_TestData() => new()
    {
        { "new Deployment", "", [], "1", ["nginx:1.27=1"], "2/3" },
        { "template changed", "", ["image=nginx:1.28"], "2", ["nginx:1.27=1", "nginx:1.28=2"], "2/3" },
        { "older template back", "", ["image=nginx:1.28", "image=nginx:1.27"], "3", ["nginx:1.27=3|1", "nginx:1.28=2"], "2/3" },
        { "scaled only", "", ["replicas=5"], "1", ["nginx:1.27=1"], "5/7" },
        { "with annotations of its own", "team=a", [], "1", ["nginx:1.27=1"], "2/3" },
    };

    [Theory]
    [MemberData(nameof(Revision_TestData))]
    public async Task DeploymentController_TemplateChanges_SetsRevisionsAsKubeControllerManager(
        string caseName, string annotations, string[] changes, string revision, string[] replicaSets, string replicas)
    {
        var ns = await target.NewNamespaceAsync("rev");
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}
            """)!.AsObject();
        if (annotations.Length > 0)
            deployment["metadata"]!["annotations"] = new JsonObject { [annotations.Split('=')[0]] = annotations.Split('=')[1] };
        var path = $"apis/apps/v1/namespaces/{ns}/deployments";
        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Post, path, deployment.ToJsonString());
        Assert.True(code == HttpStatusCode.Created, $"{caseName}: {(int)code} {text}");
        foreach (var change in changes)
        {
            // Each template reaches the controller before the next one is written.
            await Eventually.WaitAsync(async () => await ReplicaSetsAsync(ns) is { Count: > 0 } sets && sets.Count == DistinctImages(changes, change), TimeSpan.FromSeconds(60), $"{caseName}: ReplicaSets before {change}");
            var (key, value) = (change.Split('=')[0], change.Split('=')[1]);
            var patch = key == "image"
                ? """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":""" + $"\"{value}\"" + "}]}}}}"
                : """{"spec":{"replicas":""" + value + "}}";
            var (patchCode, patchText, _) = await Conform.RawAsync(Client, HttpMethod.Patch, $"{path}/web", patch, "application/strategic-merge-patch+json");
            Assert.True(patchCode == HttpStatusCode.OK, $"{caseName}: {(int)patchCode} {patchText}");
        }

        var current = changes.LastOrDefault(c => c.StartsWith("image=", StringComparison.Ordinal))?["image=".Length..] ?? "nginx:1.27";
        var (desired, max) = (replicas.Split('/')[0], replicas.Split('/')[1]);
        JsonObject? live = null;
        List<JsonObject> sets = [];
        await Eventually.WaitAsync(async () =>
        {
            live = JsonNode.Parse((await Conform.RawAsync(Client, HttpMethod.Get, $"{path}/web")).Body)!.AsObject();
            sets = await ReplicaSetsAsync(ns);
            return (string?)live["metadata"]?["annotations"]?[Revision] == revision
                && replicaSets.All(r => sets.Any(rs => Describe(rs) == r))
                && sets.Any(rs => Image(rs) == current && (string?)rs["metadata"]?["annotations"]?["deployment.kubernetes.io/desired-replicas"] == desired);
        }, TimeSpan.FromSeconds(60), $"{caseName}: revision {revision}, ReplicaSets {string.Join(", ", replicaSets)}");

        Assert.Equal(replicaSets.Order(StringComparer.Ordinal), sets.Select(Describe).Order(StringComparer.Ordinal));
        var newSet = sets.Single(rs => Image(rs) == current);
        var setAnnotations = newSet["metadata"]!["annotations"]!.AsObject();
        Assert.Equal(desired, (string?)setAnnotations["deployment.kubernetes.io/desired-replicas"]);
        Assert.Equal(max, (string?)setAnnotations["deployment.kubernetes.io/max-replicas"]);
        Assert.DoesNotContain(setAnnotations, a => a.Key.StartsWith("kubectl.kubernetes.io/", StringComparison.Ordinal));
        if (annotations.Length > 0) Assert.Equal(annotations.Split('=')[1], (string?)setAnnotations[annotations.Split('=')[0]]);
        var setEntry = newSet["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == ControllerManager && e["subresource"] is null)!;
        var copied = annotations.Length > 0 ? $"\"f:{annotations.Split('=')[0]}\":{{}}," : "";
        AssertJson(caseName, """{".":{},""" + copied + "\"f:deployment.kubernetes.io/desired-replicas\":{},\"f:deployment.kubernetes.io/max-replicas\":{},\"f:deployment.kubernetes.io/revision\":{}"
            + (Describe(newSet).Contains('|', StringComparison.Ordinal) ? ",\"f:deployment.kubernetes.io/revision-history\":{}}" : "}"),
            setEntry["fieldsV1"]!["f:metadata"]!["f:annotations"]);

        // The Deployment's revision is written with its status (UpdateStatus), in kube-controller-manager's status entry.
        var entry = live!["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == ControllerManager && (string?)e["subresource"] == "status")!;
        Assert.Equal("Update", (string?)entry["operation"]);
        AssertJson(caseName, annotations.Length > 0 ? """{"f:deployment.kubernetes.io/revision":{}}""" : """{".":{},"f:deployment.kubernetes.io/revision":{}}""",
            entry["fieldsV1"]!["f:metadata"]!["f:annotations"]);
        Assert.DoesNotContain(live["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == ControllerManager && e["subresource"] is null);
    }

    private static void AssertJson(string caseName, string expected, JsonNode? actual)
    {
        var diffs = Admission.ReferenceFiles.Diff(JsonNode.Parse(expected), actual);
        Assert.True(diffs.Count == 0, $"{caseName}: {actual?.ToJsonString()}\n{string.Join("\n", diffs)}");
    }

    private static int DistinctImages(string[] changes, string before) =>
        changes.TakeWhile(c => c != before).Where(c => c.StartsWith("image=", StringComparison.Ordinal)).Select(c => c[6..]).Append("nginx:1.27").Distinct().Count();

    private async Task<List<JsonObject>> ReplicaSetsAsync(string ns)
    {
        var (_, text, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"apis/apps/v1/namespaces/{ns}/replicasets");
        return [.. JsonNode.Parse(text)!["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private static string? Image(JsonObject rs) => (string?)rs["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"];

    private static string Describe(JsonObject rs)
    {
        var annotations = rs["metadata"]?["annotations"];
        var history = (string?)annotations?["deployment.kubernetes.io/revision-history"];
        return $"{Image(rs)}={(string?)annotations?[Revision]}" + (history is null ? "" : "|" + history);
    }
}
