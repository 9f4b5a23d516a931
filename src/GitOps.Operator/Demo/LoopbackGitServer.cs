using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Demo;

/// <summary>
/// The demo's Git server: smart HTTP on a loopback port, every request handed to
/// <c>git http-backend</c> as CGI (clone, fetch, ls-remote and push work). Bare repositories live
/// in <see cref="Root"/>. Open to anyone on this machine, so it listens on 127.0.0.1 only.
/// </summary>
internal sealed class LoopbackGitServer : IAsyncDisposable
{
    /// <summary>Keeps git away from the user's and the system's config and from prompts.</summary>
    public static readonly IReadOnlyDictionary<string, string> GitEnvironment = new Dictionary<string, string>
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_AUTHOR_NAME"] = "gitops demo",
        ["GIT_AUTHOR_EMAIL"] = "demo@gitops.invalid",
        ["GIT_COMMITTER_NAME"] = "gitops demo",
        ["GIT_COMMITTER_EMAIL"] = "demo@gitops.invalid",
        ["LC_ALL"] = "C",
    };

    private readonly WebApplication _app;

    private LoopbackGitServer(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    public string Root { get; }

    /// <summary>Called with (method, path, query) before each request is served; the benchmark counts remote Git operations with it.</summary>
    public Action<string, string, string>? OnRequest { get; set; }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<LoopbackGitServer> StartAsync(string root, CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new LoopbackGitServer(app, root);
        app.Run(server.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    public string RepoUrl(string name) => $"{BaseUrl}/{name}.git";

    /// <summary>Creates an empty bare repository (branch main, pushes allowed); returns its URL.</summary>
    public async Task<string> CreateRepoAsync(string name, CancellationToken ct)
    {
        var path = Path.Combine(Root, name + ".git");
        await RunGitAsync(["init", "-q", "--bare", "--initial-branch=main", path], null, ct);
        await RunGitAsync(["-C", path, "config", "http.receivepack", "true"], null, ct);
        return RepoUrl(name);
    }

    /// <summary>Runs git with the isolated environment; throws with git's message when it fails.</summary>
    public static async Task<string> RunGitAsync(IReadOnlyList<string> args, string? workingDirectory, CancellationToken ct)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in GitEnvironment) info.Environment[k] = v;
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new DemoException("cannot start git");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new DemoException("git is not installed: install it (apt-get install git) and run again");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new DemoException($"git {args[0]} failed: {(await stderr).Trim()}");
            return (await stdout).Trim();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        OnRequest?.Invoke(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "");
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("http-backend");
        foreach (var (k, v) in GitEnvironment) info.Environment[k] = v;
        info.Environment["GIT_PROJECT_ROOT"] = Root;
        info.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        info.Environment["REQUEST_METHOD"] = request.Method;
        info.Environment["PATH_INFO"] = request.Path.Value ?? "/";
        info.Environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        info.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        info.Environment["REMOTE_ADDR"] = "127.0.0.1";
        info.Environment["REMOTE_USER"] = "demo";
        info.Environment["SERVER_PROTOCOL"] = request.Protocol;
        if (request.ContentLength is { } length) info.Environment["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding) info.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol) info.Environment["GIT_PROTOCOL"] = protocol;

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start git http-backend");
        var stderr = process.StandardError.ReadToEndAsync();
        var feed = Task.Run(async () =>
        {
            try { await request.Body.CopyToAsync(process.StandardInput.BaseStream); }
            finally { process.StandardInput.Close(); }
        });
        var output = process.StandardOutput.BaseStream;
        var (head, rest) = await ReadCgiHeadAsync(output);
        context.Response.StatusCode = 200;
        foreach (var line in head.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                if (int.TryParse(value.Split(' ')[0], out var code)) context.Response.StatusCode = code;
            }
            else context.Response.Headers.Append(name, value);
        }
        await context.Response.Body.WriteAsync(rest);
        await output.CopyToAsync(context.Response.Body);
        await feed;
        await process.WaitForExitAsync();
        await stderr;
    }

    /// <summary>Reads the CGI header block up to the blank line; returns it and the body bytes already read.</summary>
    private static async Task<(string Head, byte[] Body)> ReadCgiHeadAsync(Stream output)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var read = await output.ReadAsync(chunk);
            if (read == 0) return ("", buffer.ToArray());
            buffer.Write(chunk, 0, read);
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var (end, separator) = (bytes.IndexOf("\r\n\r\n"u8), 4);
            var lf = bytes.IndexOf("\n\n"u8);
            if (end < 0 || (lf >= 0 && lf < end)) (end, separator) = (lf, 2);
            if (end >= 0) return (Encoding.ASCII.GetString(bytes[..end]), bytes[(end + separator)..].ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A demo step failed for a reason a person can act on; the message is one line.</summary>
internal sealed class DemoException(string message) : Exception(message);
