using GitOps.Engine.Model;
using GitOps.Testing.Architecture;

namespace GitOps.Engine.Tests.Architecture;

public class FolderDependencyTests
{
    [Fact]
    public void Folders_GitOpsEngine_NoCycles()
    {
        var cycles = FolderGraph.Of(TypeDependencies.Read(typeof(Manifest).Assembly.Location), "GitOps.Engine").Cycles();
        Assert.True(cycles.Count == 0, "folders of GitOps.Engine that use one another:\n" + string.Join("\n", cycles));
    }
}
