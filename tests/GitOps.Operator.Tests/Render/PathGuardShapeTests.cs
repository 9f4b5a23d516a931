using GitOps.Operator.Render;
using GitOps.Operator.Source;

namespace GitOps.Operator.Tests.Render;

/// <summary>
/// A tool render walks the repository for symlinks that leave it, unless the source counted the tree
/// when it wrote it and found none (and not too many entries): then the walk is skipped, and only then.
/// </summary>
public sealed class PathGuardShapeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gitops-pathguard-").FullName;

    public PathGuardShapeTests()
    {
        File.WriteAllText(Path.Combine(_root, "a.yaml"), "a: 1\n");
        File.CreateSymbolicLink(Path.Combine(_root, "stolen.yaml"), "/etc/hostname");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string, TreeShape?, string?> Shapes_TestData() => new()
    {
        { "not counted: walked", null, "points outside the repository" },
        { "counted with symlinks: walked", new TreeShape(2, 1), "points outside the repository" },
        { "counted, no symlink: not walked", new TreeShape(2, 0), null },
        { "counted, no symlink but more entries than allowed: walked", new TreeShape(5, 0), "points outside the repository" },
    };

    [Theory]
    [MemberData(nameof(Shapes_TestData))]
    public void CheckSymlinks_ByShape_WalksUnlessKnownWithout(string caseName, TreeShape? shape, string? error)
    {
        var e = Record.Exception(() => PathGuard.CheckSymlinks(_root, shape, maxEntries: 3));
        if (error is null) Assert.True(e is null, $"{caseName}: {e}");
        else Assert.True(e is RenderException r && r.Message.Contains(error, StringComparison.Ordinal), $"{caseName}: {e}");
    }
}
