using System.Text.RegularExpressions;

namespace GitOps.Operator.Tests.Install;

/// <summary>The CI workflows: pinned actions, and the jobs the install issue asks for.</summary>
public sealed partial class WorkflowTests
{
    private static string AllWorkflows() =>
        string.Join("\n", Directory.EnumerateFiles(InstallPaths.Workflows, "*.y*ml").Order().Select(File.ReadAllText));

    [Fact]
    public void EveryAction_IsPinnedByCommitSha()
    {
        var uses = Uses().Matches(AllWorkflows()).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(uses);
        var unpinned = uses.Where(u => !PinnedBySha().IsMatch(u)).ToList();
        Assert.True(unpinned.Count == 0, $"actions not pinned by a commit SHA: {string.Join(", ", unpinned)}");
    }

    [Theory]
    [InlineData("bash .ci/run", "the README's test command (through .ci/run)")]
    [InlineData("helm lint --strict charts/gitops-operator", "helm lint")]
    [InlineData("helm install gitops-operator charts/gitops-operator", "a chart install check")]
    [InlineData("push: ${{ startsWith(github.ref, 'refs/tags/v') }}", "image push on tags")]
    [InlineData("pull_request:", "runs on pull requests")]
    public void Workflows_HaveJob(string text, string what)
    {
        Assert.True(AllWorkflows().Contains(text, StringComparison.Ordinal), $"no workflow step for {what}: expected `{text}`");
    }

    [GeneratedRegex(@"^\s*(?:-\s+)?uses:\s*([^\s#]+)", RegexOptions.Multiline)]
    private static partial Regex Uses();

    [GeneratedRegex(@"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedBySha();
}
