using GitOps.Operator.Status;

namespace GitOps.Operator.Tests.Integration;

/// <summary>A configuration error retrying cannot fix marks the Application Stalled (with the reason) until its spec changes.</summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StalledTests(OperatorFixture fx)
{
    // caseName, repoURL, what the message says
    public static TheoryData<string, string, string> BadSpec_TestData() => new()
    {
        { "unsupported scheme", "ftp://git.example.com/org/repo", "unsupported repository URL" },
        { "not a URL", "https://exa mple.com/%%%/repo", "not a valid URL" },
    };

    [Theory]
    [MemberData(nameof(BadSpec_TestData))]
    public async Task BadSpec_Stalled_UntilTheSpecIsFixed(string caseName, string badUrl, string expected)
    {
        var ns = await fx.NewNamespaceAsync();
        var (url, repo) = await fx.NewRepoAsync("stalled-" + ns);
        using var _ = repo;
        repo.Write("app/config.yaml", AppYaml.ConfigMap("cfg", "one"));
        var commit = await repo.CommitAndPushAsync("first");

        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", badUrl, "app", ns));
        var stalled = await fx.WaitAppAsync(ns, "web", a => OperatorFixture.HasCondition(a, Reasons.Stalled), $"{caseName}: stalled");
        var status = ApplicationStatus.Of(stalled);
        var condition = status.Find(Reasons.Stalled)!;
        Assert.True(condition.Reason == Reasons.InvalidSpec && condition.Message.Contains(expected, StringComparison.Ordinal)
            && status.Find(Reasons.Ready)?.Status == Condition.False && status.Is(Reasons.SourceError), $"{caseName}: {stalled.ToJsonString()}");

        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "app", ns));
        var fixedApp = await fx.WaitAppAsync(ns, "web", a => OperatorFixture.IsSyncedAt(a, commit) && !OperatorFixture.HasCondition(a, Reasons.Stalled), $"{caseName}: synced once fixed");
        Assert.True(ApplicationStatus.Of(fixedApp).Is(Reasons.Ready), fixedApp.ToJsonString());
    }
}
