using System.CommandLine;

namespace GitOps.Operator.Cli;

/// <summary>The `gitops` command line: one executable, one subcommand per job.</summary>
public static class GitOpsCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("gitops: a Kubernetes GitOps reconciliation operator (start with `gitops demo`)");
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(SandboxCommand.Build());
        root.Subcommands.Add(OperatorCommand.Build());
        root.Subcommands.Add(RenderCommand.Build());
        root.Subcommands.Add(SecretCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(SyncCommand.BuildSync());
        root.Subcommands.Add(SyncCommand.BuildRefresh());
        root.Subcommands.Add(WaitCommand.Build());
        root.Subcommands.Add(HistoryCommand.BuildHistory());
        root.Subcommands.Add(HistoryCommand.BuildRollback());
        root.Subcommands.Add(SuspendCommand.Build(suspend: true));
        root.Subcommands.Add(SuspendCommand.Build(suspend: false));
        root.Subcommands.Add(HoldCommand.Build());
        root.Subcommands.Add(DiffCommand.Build());
        root.Subcommands.Add(DashboardCommand.Build());
        root.Subcommands.Add(ClusterCommand.Build());
        return root;
    }
}
