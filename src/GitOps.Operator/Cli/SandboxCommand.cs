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
            Description = "where to write a kubeconfig for kubectl and clients (the admin's, or --user's)",
            DefaultValueFactory = _ => Path.Combine(Environment.CurrentDirectory, "sandbox.kubeconfig"),
        };
        var authorization = new Option<string>("--authorization")
        {
            Description = "alwaysallow: every request is allowed; rbac: tokens the sandbox issued, authorised by Roles and bindings as kube-apiserver's RBAC",
            DefaultValueFactory = _ => "alwaysallow",
        }.AcceptOnlyFromAmong("alwaysallow", "rbac");
        var user = new Option<string?>("--user")
        {
            Description = "write --kubeconfig-out for this user instead of the admin (e.g. alice, or system:serviceaccount:NS:NAME)",
        };
        var groups = new Option<string?>("--groups")
        {
            Description = "comma-separated groups of --user (system:authenticated, and a service account's groups, are added)",
        };
        var adminKubeconfigOut = new Option<string?>("--admin-kubeconfig-out")
        {
            Description = "with --user: where to write the admin's kubeconfig too (user sandbox-admin in system:masters)",
        };
        var command = new Command("sandbox", "Serve an embedded Kubernetes API sandbox (not a cluster) for demos and tests")
        {
            listen,
            kubeconfigOut,
            authorization,
            user,
            groups,
            adminKubeconfigOut,
        };
        command.SetAction(async (result, ct) =>
        {
            if (!TryParseEndpoint(result.GetValue(listen)!, out var address, out var port))
            {
                await Console.Error.WriteLineAsync($"gitops sandbox: --listen must be address:port, got \"{result.GetValue(listen)}\"");
                return 2;
            }
            var userName = result.GetValue(user);
            if (string.IsNullOrEmpty(userName) && (result.GetValue(groups) is not null || result.GetValue(adminKubeconfigOut) is not null))
            {
                await Console.Error.WriteLineAsync("gitops sandbox: --groups and --admin-kubeconfig-out need --user");
                return 2;
            }
            var mode = result.GetValue(authorization) == "rbac" ? AuthorizationMode.Rbac : AuthorizationMode.AlwaysAllow;
            await using var server = await SandboxServer.StartAsync(SandboxOptions.Default with { ListenAddress = address, Port = port, Authorization = mode }, ct);
            var path = result.GetValue(kubeconfigOut)!;
            var kubeconfig = string.IsNullOrEmpty(userName)
                ? server.WriteKubeconfig(path)
                : server.WriteKubeconfig(path, userName, ParseGroups(result.GetValue(groups)));
            Console.WriteLine($"{SandboxServer.Banner}");
            Console.WriteLine($"serving the Kubernetes API at {server.BaseAddress} (authorization: {(mode == AuthorizationMode.Rbac ? "RBAC" : "AlwaysAllow")})");
            Console.WriteLine($"kubeconfig for {(string.IsNullOrEmpty(userName) ? SandboxServer.AdminUser : userName)} written to {Path.GetFullPath(kubeconfig)}");
            if (result.GetValue(adminKubeconfigOut) is { Length: > 0 } adminPath)
                Console.WriteLine($"kubeconfig for {SandboxServer.AdminUser} written to {Path.GetFullPath(server.WriteKubeconfig(adminPath))}");
            Console.WriteLine($"try: kubectl --kubeconfig {Path.GetFullPath(kubeconfig)} {(mode == AuthorizationMode.Rbac ? "auth can-i --list" : "api-resources")}");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            Console.WriteLine("sandbox stopped");
            return 0;
        });
        return command;
    }

    internal static IReadOnlyList<string> ParseGroups(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

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
