using System.CommandLine;

namespace GitOps.Operator.Cli;

/// <summary>The `gitops` command line: one executable, one subcommand per job.</summary>
public static class GitOpsCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("gitops: a Kubernetes GitOps reconciliation operator");
        root.Subcommands.Add(SandboxCommand.Build());
        root.Subcommands.Add(OperatorCommand.Build());
        root.Subcommands.Add(RenderCommand.Build());
        return root;
    }
}
