using GitOps.Engine.Operation;
using GitOps.Engine.Plan;

namespace GitOps.Engine.Tests.Operation;

public class DependenciesTests
{
    private static AppIdentity A(string name) => new("team", name);

    private static readonly DependencyFacts s_ready = new(true, true, "Healthy", null);

    // caseName, graph "a>b,c;b>c", facts per app ("ready" | "notready" | "stale" | "degraded"; absent = missing), expected kind, message part
    public static TheoryData<string, string, string, DependencyVerdictKind, string> Check_TestData() => new()
    {
        { "no dependencies", "", "", DependencyVerdictKind.Satisfied, "" },
        { "one ready", "a>b", "b=ready", DependencyVerdictKind.Satisfied, "" },
        { "one not ready", "a>b", "b=notready", DependencyVerdictKind.Waiting, "waiting for team/b (not Ready: SourceFailed: down)" },
        { "one whose new spec is not reconciled", "a>b", "b=stale", DependencyVerdictKind.Waiting, "team/b (its current spec is not reconciled yet)" },
        { "ready but degraded", "a>b", "b=degraded", DependencyVerdictKind.Waiting, "team/b (health Degraded)" },
        { "one missing", "a>b,c", "b=ready", DependencyVerdictKind.Missing, "do not exist: team/c" },
        { "a direct cycle", "a>b;b>a", "b=ready", DependencyVerdictKind.Cycle, "team/a -> team/b -> team/a" },
        { "a longer cycle", "a>b;b>c;c>a", "b=ready,c=ready", DependencyVerdictKind.Cycle, "team/a -> team/b -> team/c -> team/a" },
        { "depends on itself", "a>a", "a=ready", DependencyVerdictKind.Cycle, "team/a -> team/a" },
        { "a cycle elsewhere is not ours", "a>b;b>c;c>b", "b=ready,c=ready", DependencyVerdictKind.Satisfied, "" },
        { "a diamond", "a>b,c;b>d;c>d", "b=ready,c=ready,d=ready", DependencyVerdictKind.Satisfied, "" },
    };

    [Theory]
    [MemberData(nameof(Check_TestData))]
    public void Check_Graph_Verdict(string caseName, string graph, string factsText, DependencyVerdictKind kind, string message)
    {
        var edges = graph.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('>'))
            .ToDictionary(p => A(p[0]), p => (IReadOnlyList<AppIdentity>)[.. p[1].Split(',').Select(A)]);
        var facts = factsText.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=')).ToDictionary(p => A(p[0]), p => p[1] switch
        {
            "ready" => s_ready,
            "notready" => new DependencyFacts(true, false, "Healthy", "SourceFailed: down"),
            "stale" => new DependencyFacts(false, true, "Healthy", null),
            _ => new DependencyFacts(true, true, "Degraded", null),
        });

        var verdict = Dependencies.Check(A("a"), edges.GetValueOrDefault(A("a")) ?? [], facts.GetValueOrDefault, n => edges.GetValueOrDefault(n) ?? []);

        Assert.True(verdict.Kind == kind && verdict.Message.Contains(message, StringComparison.Ordinal), $"{caseName}: {verdict}");
    }

    [Fact]
    public void CycleThrough_LongChainWithoutCycle_Null()
    {
        var cycle = Dependencies.CycleThrough(A("n0"), n => [A("n" + (int.Parse(n.Name[1..], System.Globalization.CultureInfo.InvariantCulture) + 1))]);
        Assert.Null(cycle);
    }
}
