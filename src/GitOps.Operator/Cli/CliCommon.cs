using System.CommandLine;

namespace GitOps.Operator.Cli;

/// <summary>The options every cluster command takes (as kubectl names them), and the error shell around an action.</summary>
internal sealed class CliCommon
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)" };
    public Option<string?> Context { get; } = new("--context") { Description = "kubeconfig context to use (default: its current-context)" };
    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "namespace of the Application (default: the context's namespace, else default)" };

    public static Option<string> OutputOption() => new Option<string>("--output", "-o")
    {
        Description = "output format: table, json or yaml",
        DefaultValueFactory = _ => "table",
    }.AcceptOnlyFromAmong("table", "json", "yaml", "wide");

    public void AddTo(Command command, bool withNamespace = true)
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
        if (withNamespace) command.Options.Add(Namespace);
    }

    public ClusterConnection Connect(ParseResult result) => ClusterConnection.Open(result.GetValue(Kubeconfig), result.GetValue(Context));

    /// <summary>The Application an app command acts on: a client for the cluster, its namespace and name.</summary>
    public (ApplicationClient Client, string Namespace, string Name) Target(ParseResult result, Argument<string> app)
    {
        var connection = Connect(result);
        return (new ApplicationClient(connection.Api), NamespaceOf(result, connection), result.GetValue(app)!);
    }

    public string NamespaceOf(ParseResult result, ClusterConnection connection) =>
        result.GetValue(Namespace) is { Length: > 0 } ns ? ns : connection.DefaultNamespace;

    /// <summary>Runs an action; a failure a person can act on is one line on stderr and exit 1, never a stack trace.</summary>
    public static void SetAction(Command command, Func<ParseResult, CliOutput, CancellationToken, Task<int>> action) =>
        command.SetAction(async (result, ct) =>
        {
            var output = CliOutput.Of(result);
            var name = NameOf(command);
            try
            {
                return await action(result, output, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await output.Error.WriteLineAsync($"gitops {name}: interrupted");
                return 130;
            }
            catch (Exception e) when (CliErrors.Describe(e) is { } message)
            {
                await output.Error.WriteLineAsync($"gitops {name}: {message}");
                return e is CliException c ? c.ExitCode : 1;
            }
        });

    /// <summary>The command as typed after `gitops` (`status`, `cluster add`), for error lines.</summary>
    private static string NameOf(Command command)
    {
        var names = new List<string> { command.Name };
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null and not RootCommand; parent = parent.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, parent.Name);
        return string.Join(' ', names);
    }
}
