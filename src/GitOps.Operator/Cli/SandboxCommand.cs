using System.CommandLine;
using System.Globalization;
using System.Net;
using GitOps.Sandbox;

namespace GitOps.Operator.Cli;

/// <summary>`gitops sandbox`: serve the embedded Kubernetes API sandbox until interrupted.</summary>
public static class SandboxCommand
{
    public static Command Build()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "address:port to serve on (port 0 picks a free one)",
            DefaultValueFactory = _ => "127.0.0.1:6443",
        };
        var kubeconfigOut = new Option<string>("--kubeconfig-out")
        {
            Description = "where to write a kubeconfig for kubectl and clients",
            DefaultValueFactory = _ => Path.Combine(Environment.CurrentDirectory, "sandbox.kubeconfig"),
        };
        var command = new Command("sandbox", "Serve an embedded Kubernetes API sandbox (not a cluster) for demos and tests")
        {
            listen,
            kubeconfigOut,
        };
        command.SetAction(async (result, ct) =>
        {
            if (!TryParseEndpoint(result.GetValue(listen)!, out var address, out var port))
            {
                await Console.Error.WriteLineAsync($"gitops sandbox: --listen must be address:port, got \"{result.GetValue(listen)}\"");
                return 2;
            }
            await using var server = await SandboxServer.StartAsync(SandboxOptions.Default with { ListenAddress = address, Port = port }, ct);
            var kubeconfig = server.WriteKubeconfig(result.GetValue(kubeconfigOut)!);
            Console.WriteLine($"{SandboxServer.Banner}");
            Console.WriteLine($"serving the Kubernetes API at {server.BaseAddress}");
            Console.WriteLine($"kubeconfig written to {Path.GetFullPath(kubeconfig)}");
            Console.WriteLine($"try: kubectl --kubeconfig {Path.GetFullPath(kubeconfig)} api-resources");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            Console.WriteLine("sandbox stopped");
            return 0;
        });
        return command;
    }

    internal static bool TryParseEndpoint(string text, out string address, out int port)
    {
        address = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0) return false;
        address = text[..colon].Trim('[', ']');
        return IPAddress.TryParse(address, out _) &&
               int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
    }
}
