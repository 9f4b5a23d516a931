using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Testing;

/// <summary>A fault the test Git server answers with (<see cref="GitHttpServer.Fault"/>).</summary>
public enum GitServerFault
{
    /// <summary>Healthy.</summary>
    None,

    /// <summary>Every request answered 500.</summary>
    InternalError,

    /// <summary>Ref listings are served; a fetch's pack response is cut in half and the connection dropped.</summary>
    TruncatedPack,

    /// <summary>Ref listings are served; a fetch gets half its pack response, then nothing more (until the server is disposed), the connection left open.</summary>
    HangMidFetch,
}

/// <summary>
/// A real Git server over smart HTTP on loopback for tests: Kestrel on port 0 hands every request to
/// <c>git http-backend</c> as CGI. Clone, ls-remote, fetch (protocol v0 and v2) and push work.
/// Optionally requires basic auth or a bearer token (401 with <c>WWW-Authenticate</c> otherwise).
/// Repositories live in a temp <see cref="Root"/>, deleted on dispose. It counts requests, so tests
/// can tell a ref listing (<c>GET info/refs</c>) from a fetch (<c>POST git-upload-pack</c>).
/// Needs ASP.NET Core (Microsoft.AspNetCore.App), hence its own folder under tests/Shared.
/// </summary>
internal sealed class GitHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _disposing = new();
    private CancellationTokenSource _endHangs = new();
    private int _uploadPackPosts;
    private int _fault;
    private int _infoRefsGets;

    private GitHttpServer(WebApplication app, string root, string? basicUser, string? basicPassword, string? bearerToken)
    {
        _app = app;
        Root = root;
        BasicUser = basicUser;
        BasicPassword = basicPassword;
        BearerToken = bearerToken;
    }

    /// <summary>The <c>GIT_PROJECT_ROOT</c>: bare repositories are <c>&lt;Root&gt;/&lt;name&gt;.git</c>.</summary>
    public string Root { get; }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public string? BasicUser { get; }

    public string? BasicPassword { get; }

    public string? BearerToken { get; }

    /// <summary><c>POST …/git-upload-pack</c> requests served: zero growth means no fetch happened (one fetch may take several).</summary>
    public int UploadPackRequests => Volatile.Read(ref _uploadPackPosts);

    /// <summary>Ref advertisements served (<c>GET …/info/refs</c>): every ls-remote, fetch and push starts with one.</summary>
    public int InfoRefsRequests => Volatile.Read(ref _infoRefsGets);

    /// <summary>The fault answered from now on (<see cref="GitServerFault.None"/>: healthy). Fetches already hanging stay hung.</summary>
    public GitServerFault Fault
    {
        get => (GitServerFault)Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, (int)value);
    }

    /// <summary>Ends every fetch hanging now (<see cref="GitServerFault.HangMidFetch"/>): the server drops its connection.</summary>
    public void EndHangs() => Interlocked.Exchange(ref _endHangs, new CancellationTokenSource()).Cancel();

    /// <summary>Every request as <c>METHOD path?query status</c>.</summary>
    public ConcurrentQueue<string> RequestLog { get; } = new();

    /// <summary>
    /// <c>-c</c> settings for a git CLI client so it passes this server's auth (an
    /// <c>http.extraHeader</c>), empty for an open server. <see cref="GitWorkTree"/> takes them.
    /// </summary>
    public IReadOnlyList<string> ClientConfig =>
        BearerToken is not null ? [$"http.extraHeader=Authorization: Bearer {BearerToken}"]
        : BasicUser is not null ? [$"http.extraHeader=Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BasicUser}:{BasicPassword}"))}"]
        : [];

    public static async Task<GitHttpServer> StartAsync(string? basicUser = null, string? basicPassword = null, string? bearerToken = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "gitops-githttp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new GitHttpServer(app, root, basicUser, basicPassword, bearerToken);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return server;
    }

    /// <summary>The URL of repository <paramref name="name"/> (without <c>.git</c>).</summary>
    public string RepoUrl(string name) => $"{BaseUrl}/{name}.git";

    /// <summary>The same URL with <c>user:password@</c> in it (for URL-credential tests).</summary>
    public string RepoUrlWithUserInfo(string name, string user, string password) =>
        $"http://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{BaseUrl["http://".Length..]}/{name}.git";

    public string RepoPath(string name) => Path.Combine(Root, name + ".git");

    /// <summary>Creates an empty bare repository (default branch <c>main</c>, pushes over HTTP allowed) and returns its URL.</summary>
    public async Task<string> CreateBareRepoAsync(string name)
    {
        var path = RepoPath(name);
        await Git(["init", "--bare", "--initial-branch=main", path]);
        await Git(["-C", path, "config", "http.receivepack", "true"]);
        await Git(["-C", path, "config", "uploadpack.allowReachableSHA1InWant", "true"]);
        return RepoUrl(name);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A straggling git process; the temp folder is cleaned up eventually.
        }

        _disposing.Dispose();
    }

    private static async Task Git(string[] args)
    {
        var result = await ProcessRunner.RunAsync("git", args, environment: GitWorkTree.IsolatedGitEnvironment);
        if (result.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result}");
    }

    private string? Authenticate(HttpRequest request)
    {
        if (BasicUser is null && BearerToken is null) return "anonymous";
        var header = request.Headers.Authorization.ToString();
        if (BearerToken is not null)
        {
            return header == $"Bearer {BearerToken}" ? "token-user" : null;
        }

        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        return decoded == $"{BasicUser}:{BasicPassword}" ? BasicUser : null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (request.Method == "POST" && path.EndsWith("/git-upload-pack", StringComparison.Ordinal)) Interlocked.Increment(ref _uploadPackPosts);
        if (request.Method == "GET" && path.EndsWith("/info/refs", StringComparison.Ordinal)) Interlocked.Increment(ref _infoRefsGets);

        var user = Authenticate(request);
        if (user is null)
        {
            RequestLog.Enqueue($"{request.Method} {path}{request.QueryString} 401");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = BearerToken is not null ? "Bearer realm=\"git\"" : "Basic realm=\"git\"";
            return;
        }

        var fault = Fault;
        var isFetch = request.Method == "POST" && path.EndsWith("/git-upload-pack", StringComparison.Ordinal);
        if (fault == GitServerFault.InternalError)
        {
            RequestLog.Enqueue($"{request.Method} {path}{request.QueryString} 500 (fault)");
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("internal server error\n");
            return;
        }

        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("http-backend");
        foreach (var (key, value) in GitWorkTree.IsolatedGitEnvironment) info.Environment[key] = value;
        info.Environment["GIT_PROJECT_ROOT"] = Root;
        info.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        info.Environment["REQUEST_METHOD"] = request.Method;
        info.Environment["PATH_INFO"] = path;
        info.Environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        info.Environment["CONTENT_TYPE"] = request.ContentType ?? string.Empty;
        info.Environment["REMOTE_ADDR"] = "127.0.0.1";
        info.Environment["SERVER_PROTOCOL"] = request.Protocol;
        if (request.ContentLength is { } length) info.Environment["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding) info.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol) info.Environment["GIT_PROTOCOL"] = protocol;
        if (user != "anonymous") info.Environment["REMOTE_USER"] = user;

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start git http-backend");
        var stderr = process.StandardError.ReadToEndAsync();
        // Request bodies may be chunked: Kestrel decodes them; http-backend reads stdin to EOF.
        var feed = Task.Run(async () =>
        {
            try
            {
                await request.Body.CopyToAsync(process.StandardInput.BaseStream);
            }
            finally
            {
                process.StandardInput.Close();
            }
        });

        var output = process.StandardOutput.BaseStream;
        var (status, headers, rest) = await ReadCgiHeadersAsync(output);
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Status", StringComparison.OrdinalIgnoreCase)) context.Response.Headers.Append(name, value);
        }

        if (isFetch && fault is GitServerFault.TruncatedPack or GitServerFault.HangMidFetch)
        {
            await ServeHalfAsync(context, rest, output, feed, process, fault);
            RequestLog.Enqueue($"{request.Method} {path}{request.QueryString} {status} ({fault})");
            return;
        }

        await context.Response.Body.WriteAsync(rest);
        await output.CopyToAsync(context.Response.Body);
        await feed;
        await process.WaitForExitAsync();
        var errors = await stderr;
        RequestLog.Enqueue($"{request.Method} {path}{request.QueryString} {status}{(errors.Length > 0 ? " " + errors.Trim() : string.Empty)}");
    }

    /// <summary>Sends the first half of the pack response, then drops the connection or hangs until the server is disposed.</summary>
    private async Task ServeHalfAsync(HttpContext context, byte[] head, Stream output, Task feed, Process process, GitServerFault fault)
    {
        using var whole = new MemoryStream();
        whole.Write(head);
        await output.CopyToAsync(whole);
        await feed;
        await process.WaitForExitAsync();
        await context.Response.Body.WriteAsync(whole.GetBuffer().AsMemory(0, (int)whole.Length / 2));
        await context.Response.Body.FlushAsync();
        if (fault == GitServerFault.HangMidFetch)
        {
            using var hang = CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token, context.RequestAborted, Volatile.Read(ref _endHangs).Token);
            try
            {
                await Task.Delay(Timeout.Infinite, hang.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up or the server is going away.
            }
        }

        context.Abort();
    }

    /// <summary>Reads CGI headers up to the blank line; returns the mapped status, the headers and the body bytes already read.</summary>
    private static async Task<(int Status, List<(string Name, string Value)> Headers, byte[] Body)> ReadCgiHeadersAsync(Stream output)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var read = await output.ReadAsync(chunk);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var end = bytes.IndexOf("\r\n\r\n"u8);
            var separator = 4;
            var lf = bytes.IndexOf("\n\n"u8);
            if (end < 0 || (lf >= 0 && lf < end))
            {
                end = lf;
                separator = 2;
            }

            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(bytes[..end]);
                var rest = bytes[(end + separator)..].ToArray();
                return (StatusOf(head), ParseHeaders(head), rest);
            }
        }

        var all = buffer.ToArray();
        return (all.Length == 0 ? 502 : 200, [], all);
    }

    private static List<(string Name, string Value)> ParseHeaders(string head)
    {
        var headers = new List<(string, string)>();
        foreach (var line in head.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return headers;
    }

    private static int StatusOf(string head)
    {
        foreach (var (name, value) in ParseHeaders(head))
        {
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase) && int.TryParse(value.Split(' ')[0], out var code)) return code;
        }

        return 200;
    }
}
