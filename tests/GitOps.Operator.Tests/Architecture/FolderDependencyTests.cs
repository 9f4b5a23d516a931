using GitOps.Operator.Controller;
using GitOps.Testing.Architecture;

namespace GitOps.Operator.Tests.Architecture;

/// <summary>Issue 15: no folder of GitOps.Operator uses, directly or through others, a folder that uses it.</summary>
public class FolderDependencyTests
{
    [Fact]
    public void Folders_GitOpsOperator_NoCycles()
    {
        var cycles = FolderGraph.Of(TypeDependencies.Read(typeof(WorkQueue<>).Assembly.Location), "GitOps.Operator").Cycles();
        Assert.True(cycles.Count == 0, "folders of GitOps.Operator that use one another:\n" + string.Join("\n", cycles));
    }

    /// <summary>Edges are "Folder.Type>Folder.Type" under the namespace Root; each expected cycle lists its folders, cycles apart by " | ".</summary>
    public static TheoryData<string, string, string> Graph_TestData() => new()
    {
        { "three folders in a ring, a fourth leading in", "A.X>B.X B.X>C.X C.X>A.X D.X>A.X", "A, B, C" },
        { "a diamond, no cycle", "A.X>B.X A.X>C.X B.X>D.X C.X>D.X", "" },
        { "two two-cycles, one leading to the other", "A.X>B.X B.X>A.X B.X>C.X C.X>D.X D.X>C.X", "A, B | C, D" },
        { "types of one folder using each other", "A.X>A.Y A.Y>A.X", "" },
        { "the root namespace is no folder", "A.X>Root B.X>Root Root>A.X Root>B.X", "" },
        { "a subfolder counts as its folder", "A.Sub.X>B.X B.X>A.Y", "A, B" },
    };

    [Theory]
    [MemberData(nameof(Graph_TestData))]
    public void Cycles_SyntheticGraph_FoundByStronglyConnectedComponents(string caseName, string edges, string expected)
    {
        var dependencies = edges.Split(' ').Select(e => e.Split('>')).Select(e => new TypeDependency(TypeIn(e[0]), TypeIn(e[1])));

        var cycles = FolderGraph.Of(dependencies, "Root").Cycles();

        Assert.True(expected == string.Join(" | ", cycles.Select(c => string.Join(", ", c.Folders))), $"{caseName}: {string.Join("\n", cycles)}");
    }

    [Fact]
    public void Cycles_TwoFolders_EachEdgeNamedWithAnExample()
    {
        TypeDependency[] dependencies = [new(TypeIn("Controller.Reconciler"), TypeIn("Hosting.Options")), new(TypeIn("Hosting.Host"), TypeIn("Controller.Queue"))];

        var cycle = Assert.Single(FolderGraph.Of(dependencies, "Root").Cycles());

        Assert.Equal(
            "cycle among Controller, Hosting:\n  Controller -> Hosting (Controller.Reconciler uses Hosting.Options)\n  Hosting -> Controller (Hosting.Host uses Controller.Queue)",
            cycle.ToString());
    }

    private static TypeName TypeIn(string relative) =>
        relative.LastIndexOf('.') is var dot and >= 0 ? new($"Root.{relative[..dot]}", relative[(dot + 1)..]) : new("Root", relative);
}
