using System.CommandLine;
using GitOps.Operator.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;

namespace GitOps.Operator.Cli;

/// <summary>
/// `gitops dashboard [--port N]`: the operator's web dashboard on this machine (127.0.0.1), acting
/// as the kubeconfig's user: it watches Applications with the user's credentials, shows what the
/// user may read (SelfSubjectAccessReview) and makes every action as the user.
/// </summary>
internal static class DashboardCommand
{
    public static Command Build()
    {
        var common = new CliCommon();
        var port = new Option<int>("--port") { Description = "local port (0 picks a free one)", DefaultValueFactory = _ => 8081 };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "watch Applications in every namespace (default: the context's namespace, or -n)" };
        var command = new Command("dashboard", "Serve the web dashboard on 127.0.0.1, acting as the kubeconfig's user") { port, allNamespaces };
        common.AddTo(command);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var connection = common.Connect(result);
            string? ns = result.GetValue(allNamespaces) ? null : common.NamespaceOf(result, connection);
            await using var source = new InformerApplicationSource(connection.Api, ns);
            await source.WaitForSyncAsync(ct);
            await using var pipeline = CliPipeline.Build(connection);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Services.AddSerilog(new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Console().CreateLogger(), dispose: true);
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, result.GetValue(port)));
            await using var web = builder.Build();
            DashboardServer.ForKubeconfigUser(source, connection.Api, pipeline.Services, DashboardOptions.Default,
                web.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GitOps.Operator.Dashboard")).Map(web);
            await web.StartAsync(ct);
            var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
            await o.Out.WriteLineAsync($"dashboard of {connection.Server} ({(ns is null ? "all namespaces" : "namespace " + ns)}) at {address}/ ; Ctrl-C stops it");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            await web.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
