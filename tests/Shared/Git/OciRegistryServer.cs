using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Testing;

/// <summary>
/// An OCI registry on loopback for Helm charts, enough of the distribution API for pulls: tags
/// (paged), manifests, blobs. With a user it wants a bearer token from its /token realm (basic
/// credentials in exchange), as public registries do; blobs can be served through a redirect to a
/// "CDN" path that refuses any Authorization header (credentials must not follow a redirect).
/// Charts are packaged with the pinned helm and stored as Helm pushes them.
/// </summary>
internal sealed partial class OciRegistryServer : IAsyncDisposable
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    private readonly ConcurrentDictionary<(string Repo, string Reference), byte[]> _manifests = new();
    private readonly string _work = Directory.CreateTempSubdirectory("gitops-oci-").FullName;
    private readonly string? _user;
    private readonly string? _password;
    private readonly string _token = Guid.NewGuid().ToString("N");

    private OciRegistryServer(WebApplication app, string? user, string? password)
    {
        _app = app;
        _user = user;
        _password = password;
    }

    /// <summary>host:port, as in oci://host:port/path.</summary>
    public string Host { get; private set; } = "";
    public bool RedirectBlobs { get; set; }
    public int TagsPageSize { get; set; } = 1000;
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<OciRegistryServer> StartAsync(string? user = null, string? password = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new OciRegistryServer(app, user, password);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Host = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
        return server;
    }

    /// <summary>Packages <paramref name="chartDir"/> with the pinned helm and stores it under <paramref name="repository"/>/&lt;chart name&gt;:&lt;version&gt;.</summary>
    public async Task PushChartAsync(string repository, string chartDir)
    {
        var output = Directory.CreateTempSubdirectory("pkg-").FullName;
        var env = new Dictionary<string, string> { ["HOME"] = _work, ["HELM_CACHE_HOME"] = Path.Combine(_work, ".cache"), ["HELM_CONFIG_HOME"] = Path.Combine(_work, ".config") };
        var package = await ProcessRunner.RunAsync(ToolPaths.Helm, ["package", chartDir, "--destination", output], environment: env, timeout: TimeSpan.FromSeconds(60));
        if (package.ExitCode != 0) throw new InvalidOperationException(package.ToString());
        var archive = await File.ReadAllBytesAsync(Directory.EnumerateFiles(output, "*.tgz").Single());
        Directory.Delete(output, recursive: true);
        var chartYaml = await File.ReadAllTextAsync(Path.Combine(chartDir, "Chart.yaml"));
        var name = ChartField().Matches(chartYaml).First(m => m.Groups["key"].Value == "name").Groups["value"].Value.Trim();
        var version = ChartField().Matches(chartYaml).First(m => m.Groups["key"].Value == "version").Groups["value"].Value.Trim();
        var config = Encoding.UTF8.GetBytes(new JsonObject { ["name"] = name, ["version"] = version, ["apiVersion"] = "v2" }.ToJsonString());
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = Descriptor("application/vnd.cncf.helm.config.v1+json", Store(config), config.Length),
            ["layers"] = new JsonArray(Descriptor("application/vnd.cncf.helm.chart.content.v1.tar+gzip", Store(archive), archive.Length)),
            ["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = name, ["org.opencontainers.image.version"] = version },
        }.ToJsonString());
        var repo = $"{repository.Trim('/')}/{name}";
        _manifests[(repo, version.Replace('+', '_'))] = manifest;
        _manifests[(repo, Digest(manifest))] = manifest;
    }

    [GeneratedRegex(@"^(?<key>name|version):\s*""?(?<value>[^""\n]+)""?\s*$", RegexOptions.Multiline)]
    private static partial Regex ChartField();

    private static JsonObject Descriptor(string mediaType, string digest, long size) => new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private string Store(byte[] bytes)
    {
        var digest = Digest(bytes);
        _blobs[digest] = bytes;
        return digest;
    }

    [GeneratedRegex(@"^/v2/(?<repo>.+)/(?<kind>tags|manifests|blobs)/(?<rest>[^/]+)$")]
    private static partial Regex Route();

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        Requests.Enqueue($"{ctx.Request.Method} {path}{ctx.Request.QueryString}");
        if (path == "/token")
        {
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
            if (ctx.Request.Headers.Authorization.ToString() != basic)
            {
                ctx.Response.StatusCode = 401;
                return;
            }
            await ctx.Response.WriteAsJsonAsync(new { token = _token });
            return;
        }
        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            if (ctx.Request.Headers.Authorization.Count > 0)
            {
                ctx.Response.StatusCode = 400; // credentials followed the redirect
                return;
            }
            await Serve(ctx, _blobs.GetValueOrDefault(path[5..]), "application/octet-stream");
            return;
        }
        var route = Route().Match(path);
        if (_user is not null && ctx.Request.Headers.Authorization.ToString() != $"Bearer {_token}")
        {
            var scope = route.Success ? $",scope=\"repository:{route.Groups["repo"].Value}:pull\"" : "";
            ctx.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{Host}/token\",service=\"test-registry\"{scope}";
            ctx.Response.StatusCode = 401;
            return;
        }
        if (path == "/v2/" || path == "/v2")
        {
            ctx.Response.StatusCode = 200;
            return;
        }
        if (!route.Success)
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        var repo = route.Groups["repo"].Value;
        var rest = route.Groups["rest"].Value;
        switch (route.Groups["kind"].Value)
        {
            case "tags" when rest == "list":
                var tags = _manifests.Keys.Where(k => k.Repo == repo && !k.Reference.StartsWith("sha256:", StringComparison.Ordinal)).Select(k => k.Reference).Order(StringComparer.Ordinal).ToList();
                if (tags.Count == 0)
                {
                    ctx.Response.StatusCode = 404;
                    return;
                }
                var last = ctx.Request.Query["last"].ToString();
                var page = tags.Where(t => string.CompareOrdinal(t, last) > 0).Take(TagsPageSize).ToList();
                if (page.Count > 0 && page[^1] != tags[^1])
                    ctx.Response.Headers.Link = $"</v2/{repo}/tags/list?n={TagsPageSize}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
                await ctx.Response.WriteAsJsonAsync(new { name = repo, tags = page });
                return;
            case "manifests":
                var manifest = _manifests.GetValueOrDefault((repo, rest));
                if (manifest is not null) ctx.Response.Headers["Docker-Content-Digest"] = Digest(manifest);
                await Serve(ctx, manifest, ManifestType);
                return;
            case "blobs" when RedirectBlobs && _blobs.ContainsKey(rest):
                ctx.Response.StatusCode = 307;
                ctx.Response.Headers.Location = $"http://localhost:{new Uri($"http://{Host}").Port}/cdn/{rest}"; // another origin, as a CDN is
                return;
            case "blobs":
                await Serve(ctx, _blobs.GetValueOrDefault(rest), "application/octet-stream");
                return;
            default:
                ctx.Response.StatusCode = 404;
                return;
        }
    }

    private static async Task Serve(HttpContext ctx, byte[]? body, string contentType)
    {
        if (body is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { }
    }
}
