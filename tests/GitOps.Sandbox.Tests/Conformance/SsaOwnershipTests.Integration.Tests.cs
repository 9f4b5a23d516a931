using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>Server-side apply field ownership ("Server-Side Apply": managers, conflicts, force, removal, merge strategy).</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SsaOwnershipTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    /// <summary>One apply: a manager sets exactly <paramref name="Data"/> ("k=v,k2=v2"); a conflict names the manager expected in the 409.</summary>
    private sealed record Step(string Manager, string Data, bool Force, string? ConflictWith)
    {
        /// <summary>Steps written "manager k=v,k2=v2 [force] [conflict:owner] | ...", so each case stays a readable string.</summary>
        public static Step[] Parse(string script) => [.. script.Split('|', StringSplitOptions.TrimEntries).Select(part =>
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new Step(words[0], words[1] == "-" ? "" : words[1], words.Contains("force"),
                words.FirstOrDefault(w => w.StartsWith("conflict:", StringComparison.Ordinal))?["conflict:".Length..]);
        })];
    }

    public static TheoryData<string, string, string, string> Ownership_TestData() => new()
    {
        { "disjoint fields are both kept", "alice a=1 | bob b=2", "a=1,b=2", "a:alice;b:bob" },
        { "same value on a shared field does not conflict and shares ownership", "alice a=1 | bob a=1", "a=1", "a:alice+bob" },
        { "different value on an owned field conflicts and names the owner", "alice a=1 | bob a=2 conflict:alice", "a=1", "a:alice" },
        { "force takes the field over", "alice a=1,x=1 | bob a=2 force", "a=2,x=1", "a:bob;x:alice" },
        { "a field dropped by its only manager disappears", "alice a=1,b=2 | alice a=1", "a=1", "a:alice" },
        { "a field dropped by one manager but set by another stays", "alice a=1,b=2 | bob b=2 | alice a=1", "a=1,b=2", "a:alice;b:bob" },
        { "dropping a field lost to force leaves the new owner's value", "alice a=1 | bob a=2 force | alice z=9", "a=2,z=9", "a:bob;z:alice" },
        { "a manager applying nothing removes all its fields", "alice a=1,b=2 | bob c=3 | alice -", "c=3", "c:bob" },
        { "conflicts on two fields with two owners name both", "alice a=1 | bob b=1 | carol a=2,b=2 conflict:bob", "a=1,b=1", "a:alice;b:bob" },
    };

    [Theory]
    [MemberData(nameof(Ownership_TestData))]
    public async Task Apply_Steps_EndWithExpectedDataAndOwners(string caseName, string script, string expectedData, string expectedOwners)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        foreach (var step in Step.Parse(script))
        {
            var yaml = ConfigMapYaml("owned", step.Data);
            Task<V1ConfigMap> apply() => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(yaml, V1Patch.PatchType.ApplyPatch), "owned", ns, fieldManager: step.Manager, force: step.Force);
            if (step.ConflictWith is { } owner)
            {
                var e = await Conform.FailsAsync(HttpStatusCode.Conflict, apply);
                Assert.Contains($"with \\\"{owner}\\\"", e.Response.Content, StringComparison.Ordinal);
                continue;
            }
            await apply();
        }
        var live = await Client.CoreV1.ReadNamespacedConfigMapAsync("owned", ns);
        Assert.Equal(expectedData, string.Join(",", (live.Data ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal(expectedOwners, Owners(live));
    }

    [Fact]
    public async Task Apply_SameConfigurationTwice_KeepsResourceVersion()
    {
        var ns = await target.NewNamespaceAsync();
        var yaml = ConfigMapYaml("again", "a=1");
        var first = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(yaml, V1Patch.PatchType.ApplyPatch), "again", ns, fieldManager: "alice");
        var second = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(yaml, V1Patch.PatchType.ApplyPatch), "again", ns, fieldManager: "alice");
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns422()
    {
        var ns = await target.NewNamespaceAsync();
        var (code, text, _) = await Conform.RawAsync(Client, HttpMethod.Patch, $"api/v1/namespaces/{ns}/configmaps/nomgr", ConfigMapYaml("nomgr", "a=1"), "application/apply-patch+yaml");
        Assert.True(code == HttpStatusCode.UnprocessableEntity, $"{(int)code}: {text}");
    }

    [Fact]
    public async Task Apply_UpdateByAnotherClient_ConflictsWithTheUpdateManager()
    {
        var ns = await target.NewNamespaceAsync();
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(ConfigMapYaml("mixed", "a=1"), V1Patch.PatchType.ApplyPatch), "mixed", ns, fieldManager: "alice");
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"edited"}}""", V1Patch.PatchType.MergePatch), "mixed", ns, fieldManager: "kubectl-edit");
        var e = await Conform.FailsAsync(HttpStatusCode.Conflict,
            () => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(ConfigMapYaml("mixed", "a=1"), V1Patch.PatchType.ApplyPatch), "mixed", ns, fieldManager: "alice"));
        Assert.Contains("kubectl-edit", e.Response.Content, StringComparison.Ordinal);
        var live = await Client.CoreV1.ReadNamespacedConfigMapAsync("mixed", ns);
        Assert.Contains(live.Metadata.ManagedFields, m => m.Manager == "kubectl-edit" && m.Operation == "Update");
    }

    [Fact]
    public async Task Apply_ContainersFromTwoManagers_MergesByName()
    {
        var ns = await target.NewNamespaceAsync();
        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(DeploymentYaml("merge", ("app", "nginx:1.27")), V1Patch.PatchType.ApplyPatch), "merge", ns, fieldManager: "alice");
        var merged = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(DeploymentYaml("merge", ("sidecar", "busybox:1.36")), V1Patch.PatchType.ApplyPatch), "merge", ns, fieldManager: "bob");
        Assert.Equal(["app", "sidecar"], merged.Spec.Template.Spec.Containers.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal("nginx:1.27", merged.Spec.Template.Spec.Containers.Single(c => c.Name == "app").Image);

        var e = await Conform.FailsAsync(HttpStatusCode.Conflict,
            () => Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(DeploymentYaml("merge", ("app", "nginx:1.28")), V1Patch.PatchType.ApplyPatch), "merge", ns, fieldManager: "bob"));
        Assert.Contains("alice", e.Response.Content, StringComparison.Ordinal);
        Assert.Contains("image", e.Response.Content, StringComparison.Ordinal);

        // alice drops nothing of bob's when she re-applies only her container.
        var again = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(DeploymentYaml("merge", ("app", "nginx:1.29")), V1Patch.PatchType.ApplyPatch), "merge", ns, fieldManager: "alice");
        Assert.Equal(["app", "sidecar"], again.Spec.Template.Spec.Containers.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal("nginx:1.29", again.Spec.Template.Spec.Containers.Single(c => c.Name == "app").Image);
        Assert.Equal(3, again.Metadata.Generation);
    }

    // Apply bodies are YAML; JSON is YAML too, and the client's V1Patch only passes a string body through if it is JSON.
    private static string ConfigMapYaml(string name, string data)
    {
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name } };
        var pairs = data.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length > 0) obj["data"] = new JsonObject(pairs.Select(p => KeyValuePair.Create(p.Split('=')[0], (JsonNode?)p.Split('=')[1])));
        return obj.ToJsonString();
    }

    private static string DeploymentYaml(string name, params (string Name, string Image)[] containers)
    {
        var labels = new JsonObject { ["app"] = name };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["image"] = c.Image })]) },
                },
            },
        }.ToJsonString();
    }

    /// <summary>"key:manager[+manager];..." for each data key, from managedFields (Apply entries only).</summary>
    private static string Owners(V1ConfigMap live)
    {
        var owners = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var entry in live.Metadata.ManagedFields ?? [])
        {
            if (entry.Operation != "Apply" || entry.FieldsV1 is null) continue;
            var json = System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(entry.FieldsV1));
            if (json?["f:data"] is not System.Text.Json.Nodes.JsonObject data) continue;
            foreach (var (field, _) in data)
            {
                if (!field.StartsWith("f:", StringComparison.Ordinal)) continue;
                var key = field[2..];
                if (!owners.TryGetValue(key, out var set)) owners[key] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(entry.Manager);
            }
        }
        return string.Join(";", owners.Select(kv => $"{kv.Key}:{string.Join("+", kv.Value)}"));
    }
}
