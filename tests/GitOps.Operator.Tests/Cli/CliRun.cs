using System.CommandLine;
using GitOps.Operator.Cli;

namespace GitOps.Operator.Tests.Cli;

/// <summary>Runs the `gitops` command line in-process, capturing its output and error streams.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
    }

    public static async Task<Result> RunAsync(TimeSpan deadline, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(deadline);
        var code = await GitOpsCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cts.Token);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(TimeSpan.FromMinutes(2), args);
}
