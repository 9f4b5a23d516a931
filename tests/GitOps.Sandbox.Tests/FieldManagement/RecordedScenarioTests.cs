using System.Text.Json.Nodes;
using GitOps.Sandbox.FieldManagement;
using Xunit;

namespace GitOps.Sandbox.Tests.FieldManagement;

public sealed class RecordedScenarioTests
{
    private static readonly string[] Scenarios =
    [
        "ssa-configmap-lifecycle.json", "ssa-deployment-list-merge-keys.json", "ssa-dry-run.json",
        "ssa-replicas-owned-by-another.json", "update-managed-fields.json",
    ];

    /// <summary>Steps where the server defaulted fields of new list items (defaulting is not ours).</summary>
    private static readonly Dictionary<string, int[]> DefaultedSteps = new()
    {
        ["ssa-deployment-list-merge-keys.json"] = [1],
    };

    public static TheoryData<string, string> Scenario_TestData()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in Scenarios) data.Add(s.Replace(".json", ""), s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenario_TestData))]
    public void Replay_RecordedScenario_MatchesManagedFieldsAndObject(string caseName, string file)
    {
        var replayer = new ScenarioReplayer();
        var steps = RecordedData.Load(Path.Combine("scenarios", file))["steps"]!.AsArray();
        var failures = new List<string>();
        for (var i = 0; i < steps.Count; i++)
        {
            var request = steps[i]!["request"]!.AsObject();
            var response = steps[i]!["response"]!.AsObject();
            var actual = replayer.Run(request, response);
            if (actual is null || response["body"] is not JsonObject expected) continue;
            if (response["code"]!.GetValue<int>() == 404) continue;
            var created = response["code"]!.GetValue<int>() == 201 || DefaultedSteps.GetValueOrDefault(file, []).Contains(i);
            var (a, e) = (ObjectNormalizer.Normalize(actual), ObjectNormalizer.Normalize(expected));
            // A create through our functions lacks the server defaults: compare what we produce, plus managedFields.
            var ok = created
                ? ObjectNormalizer.IsSubset(a, e) && JsonNode.DeepEquals(a["metadata"]?["managedFields"], e["metadata"]?["managedFields"])
                : JsonNode.DeepEquals(a, e);
            if (!ok) failures.Add($"step {i} {request["method"]} {request["path"]}\n  expected {ObjectNormalizer.Text(e)}\n  actual   {ObjectNormalizer.Text(a)}");
        }
        Assert.True(failures.Count == 0, caseName + "\n" + string.Join("\n", failures));
    }
}
