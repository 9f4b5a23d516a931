using GitOps.Operator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace GitOps.Operator.Cli;

/// <summary>
/// The operator's own pipeline pieces (source, renderers, desired state, live comparison), composed
/// exactly as `gitops operator` composes them but never started: `gitops diff` runs one reconcile's
/// first stages with them instead of re-implementing them. Logs are dropped (the command prints).
/// </summary>
internal static class CliPipeline
{
    public static WebApplication Build(ClusterConnection connection) =>
        OperatorHost.Build(OperatorOptions.Default with
        {
            Kubeconfig = connection.KubeconfigPath,
            Context = connection.Context,
            Listen = "127.0.0.1:0",
            LeaderElection = false,
            CacheDirectory = Path.Combine(Path.GetTempPath(), "gitops-cli-cache"),
            JsonLogs = false,
        }, services => services.AddSerilog(new LoggerConfiguration().MinimumLevel.Fatal().CreateLogger(), dispose: true));
}
