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

/// <summary>
/// A Helm chart repository on loopback for tests: serves the files of a folder (<c>index.yaml</c>
/// and chart archives, made with the pinned <c>helm package</c> / <c>helm repo index</c>), with
/// optional basic auth.
/// </summary>
internal sealed class HelmRepoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HelmRepoServer(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    public string Root { get; }
    public string BaseUrl { get; private set; } = "";
    public int Requests;

    public static async Task<HelmRepoServer> StartAsync(string? user = null, string? password = null)
    {
        var root = Directory.CreateTempSubdirectory("gitops-helmrepo-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new HelmRepoServer(app, root);
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref server.Requests);
            if (user is not null)
            {
                var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
                if (ctx.Request.Headers.Authorization.ToString() != expected)
                {
                    ctx.Response.StatusCode = 401;
                    return;
                }
            }
            var name = Path.GetFileName(ctx.Request.Path.Value ?? "");
            var file = Path.Combine(root, name);
            if (name.Length == 0 || !File.Exists(file))
            {
                ctx.Response.StatusCode = 404;
                return;
            }
            await ctx.Response.SendFileAsync(file);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>Packages <paramref name="chartDir"/> into the repository and re-indexes it with the pinned helm.</summary>
    public async Task PublishAsync(string chartDir)
    {
        var package = await ProcessRunner.RunAsync(ToolPaths.Helm, ["package", chartDir, "--destination", Root], environment: Environment(), timeout: TimeSpan.FromSeconds(60));
        if (package.ExitCode != 0) throw new InvalidOperationException(package.ToString());
        await IndexAsync();
    }

    /// <summary>
    /// Publishes <paramref name="chartDir"/> as an archive made without helm, so a dependency
    /// missing from its charts/ stays missing (<c>helm package</c> refuses such a chart), then re-indexes.
    /// </summary>
    public async Task PublishUnvendoredAsync(string chartDir, string version)
    {
        var name = Path.GetFileName(Path.GetFullPath(chartDir).TrimEnd('/'));
        await using (var file = File.Create(Path.Combine(Root, $"{name}-{version}.tgz")))
        await using (var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
            await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(chartDir, gz, includeBaseDirectory: true);
        await IndexAsync();
    }

    private async Task IndexAsync()
    {
        var index = await ProcessRunner.RunAsync(ToolPaths.Helm, ["repo", "index", Root, "--url", BaseUrl], environment: Environment(), timeout: TimeSpan.FromSeconds(60));
        if (index.ExitCode != 0) throw new InvalidOperationException(index.ToString());
    }

    private Dictionary<string, string> Environment() =>
        new() { ["HOME"] = Root, ["HELM_CACHE_HOME"] = Path.Combine(Root, ".cache"), ["HELM_CONFIG_HOME"] = Path.Combine(Root, ".config") };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
