using System.Text.Json.Nodes;
using GitOps.Sandbox.Patching;
using GitOps.Sandbox.Schema;
using Xunit;
using static GitOps.Sandbox.Tests.Patching.PatchAssert;

namespace GitOps.Sandbox.Tests.Patching;

/// <summary>
/// Replays the recorded strategic-merge-patch scenario (real kube-apiserver 1.26): each PATCH step's
/// body is applied to the previous step's recorded response and compared with the recorded response.
/// </summary>
public sealed class StrategicMergePatchReplayTests
{
    private static readonly string[] ComparedPaths = ["spec", "data", "metadata.labels", "metadata.annotations"];

    private static JsonArray Steps()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            var file = Path.Combine(directory.FullName, "src", "GitOps.Sandbox", "Reference", "scenarios", "strategic-merge-patch.json");
            if (File.Exists(file)) return JsonNode.Parse(File.ReadAllText(file))!["steps"]!.AsArray();
            directory = directory.Parent;
        }
        throw new FileNotFoundException("strategic-merge-patch.json not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string, int> Apply_RecordedStep_TestData()
    {
        var data = new TheoryData<string, int>();
        var steps = Steps();
        for (var i = 1; i < steps.Count; i++)
        {
            var request = steps[i]!["request"]!;
            if ((string?)request["contentType"] == "application/strategic-merge-patch+json" && (int)steps[i]!["response"]!["code"]! == 200)
                data.Add($"step {i}: {request["body"]!.ToJsonString()}", i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Apply_RecordedStep_TestData))]
    public void Apply_RecordedStep_MatchesRecordedResponse(string caseName, int step)
    {
        Assert.NotEmpty(caseName);
        var steps = Steps();
        var previous = steps[step - 1]!["response"]!["body"]!.AsObject();
        var request = steps[step]!["request"]!;
        var expected = steps[step]!["response"]!["body"]!.AsObject();
        var schema = BuiltinSchemas.Shared.Find("apps", "v1", "Deployment")!;

        var result = StrategicMergePatch.Apply(previous, request["body"]!.AsObject(), schema);
        ApplyContainerDefaults(result);

        foreach (var path in ComparedPaths)
            Equal(Select(expected, path), Select(result, path));
    }

    /// <summary>
    /// Stand-in for the defaulting kube-apiserver runs after the patch (not part of the patch engine):
    /// the container fields the recording shows being defaulted.
    /// </summary>
    private static void ApplyContainerDefaults(JsonObject deployment)
    {
        if (deployment["spec"]?["template"]?["spec"]?["containers"] is not JsonArray containers) return;
        foreach (var container in containers.OfType<JsonObject>())
        {
            var image = (string?)container["image"] ?? "";
            var tagged = image.Contains(':', StringComparison.Ordinal) && !image.EndsWith(":latest", StringComparison.Ordinal);
            container.TryAdd("resources", new JsonObject());
            container.TryAdd("terminationMessagePath", "/dev/termination-log");
            container.TryAdd("terminationMessagePolicy", "File");
            container.TryAdd("imagePullPolicy", tagged ? "IfNotPresent" : "Always");
            if (container["ports"] is JsonArray ports)
                foreach (var port in ports.OfType<JsonObject>()) port.TryAdd("protocol", "TCP");
        }
    }

    private static JsonNode? Select(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.')) node = node?[segment];
        return node;
    }
}
