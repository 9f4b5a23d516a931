using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;
using GitOps.Sandbox.Tests.Conformance;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.KubectlCli;

/// <summary>kubectl finding the Events of one object: get with a field selector, events --for, describe.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EventsKubectlTests(ApiTarget target)
{
    /// <summary>Config maps "subject" and "other", with two core Events about the first and one about the second.</summary>
    private async Task<string> SeedAsync()
    {
        var ns = await target.NewNamespaceAsync("kev");
        foreach (var (cm, events) in new[] { ("subject", new[] { "Synced", "Pruned" }), ("other", new[] { "Failed" }) })
        {
            var created = await target.Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap(cm), ns);
            foreach (var reason in events)
                await EventFixtures.CreateAsync(target.Client, EventApi.CoreV1, ns, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = $"{cm}.{reason.ToLowerInvariant()}" },
                    ["involvedObject"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = cm, ["namespace"] = ns, ["uid"] = created.Metadata.Uid },
                    ["reason"] = reason,
                    ["message"] = $"{reason} {cm} by kubectl test",
                    ["type"] = "Normal",
                    ["source"] = new JsonObject { ["component"] = "kubectl-test" },
                    ["firstTimestamp"] = "2024-05-01T10:00:00Z",
                    ["lastTimestamp"] = "2024-05-01T10:00:00Z",
                    ["count"] = 1,
                });
        }
        return ns;
    }

    [Fact]
    public async Task GetEvents_InvolvedObjectNameSelector_ListsThatObjectsEvents()
    {
        var ns = await SeedAsync();

        var names = await Kubectl.OkAsync(target, "get", "events", "-n", ns, "--field-selector", "involvedObject.name=subject", "-o", "name");

        Assert.Equal(["event/subject.pruned", "event/subject.synced"], Lines(names));
    }

    [Fact]
    public async Task GetEventsV1_RegardingNameSelector_ListsThatObjectsEvents()
    {
        var ns = await SeedAsync();

        var names = await Kubectl.OkAsync(target, "get", "events.v1.events.k8s.io", "-n", ns, "--field-selector", "regarding.name=other", "-o", "name");

        Assert.Equal(["event.events.k8s.io/other.failed"], Lines(names));
    }

    [Fact]
    public async Task EventsFor_ConfigMap_PrintsOnlyItsEvents()
    {
        var ns = await SeedAsync();

        var output = await Kubectl.OkAsync(target, "events", "-n", ns, "--for", "configmap/subject");

        Assert.Contains("Synced subject by kubectl test", output);
        Assert.Contains("Pruned subject by kubectl test", output);
        Assert.DoesNotContain("Failed", output);
    }

    [Fact]
    public async Task Describe_ConfigMap_ShowsItsEvents()
    {
        var ns = await SeedAsync();

        var output = await Kubectl.OkAsync(target, "describe", "configmap", "subject", "-n", ns);

        var events = output[output.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Contains("Synced subject by kubectl test", events);
        Assert.Contains("Pruned subject by kubectl test", events);
        Assert.DoesNotContain("Failed", events);
    }

    [Fact]
    public async Task GetEvents_UnsupportedSelector_FailsWithServerMessage()
    {
        var ns = await target.NewNamespaceAsync("kev");

        var result = await Kubectl.RunAsync(target, "get", "events", "-n", ns, "--field-selector", "involvedObject.foo=x");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("field label not supported: involvedObject.foo", result.StdErr);
    }

    private static string[] Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
}
