using System.Text.Json.Nodes;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// N Applications in one scenario, app <c>a{i}</c> syncing ConfigMap <c>cm-{i}</c> with value <c>v{i}</c>
/// from <c>apps/a{i}</c>: for tests that sync many apps through a fault and check nothing was lost.
/// </summary>
internal static class ManyApps
{
    public static Task<string> PushAsync(Scenario s, int apps, string message = "many apps") =>
        s.PushAsync(message, Enumerable.Range(0, apps).Select(i => ($"apps/a{i}/cm.yaml", (string?)AppYaml.ConfigMap($"cm-{i}", $"v{i}"))).ToArray());

    public static Task ApplyAsync(Scenario s, int apps) =>
        s.Fx.ApplyYamlAsync(string.Join("\n---\n", Enumerable.Range(0, apps).Select(i => AppYaml.Automated(s.Namespace, $"a{i}", s.Url, $"apps/a{i}", s.Namespace))));

    /// <summary>How many of the scenario's Applications are synced at <paramref name="revision"/>.</summary>
    public static async Task<int> SyncedAsync(Scenario s, string revision)
    {
        var list = await s.Fx.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{s.Namespace}/applications");
        return (list?["items"] as JsonArray)?.Count(a => OperatorFixture.IsSyncedAt(a!.AsObject(), revision)) ?? 0;
    }

    /// <summary>Every <c>cm-{i}</c> is there with Git's value.</summary>
    public static async Task AssertAllAsInGitAsync(Scenario s, int apps)
    {
        var configMaps = await s.Fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/configmaps");
        var data = (configMaps?["items"] as JsonArray)!
            .Where(c => ((string?)c?["metadata"]?["name"])?.StartsWith("cm-", StringComparison.Ordinal) == true)
            .ToDictionary(c => (string)c!["metadata"]!["name"]!, c => (string?)c!["data"]?["value"]);
        Assert.Equal(apps, data.Count);
        Assert.All(Enumerable.Range(0, apps), i => Assert.Equal($"v{i}", data[$"cm-{i}"]));
    }
}
