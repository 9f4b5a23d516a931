using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Source;

namespace GitOps.Operator.Render;

/// <summary>
/// Charts from a Helm repository (<c>index.yaml</c> over HTTP(S), optional basic auth):
/// <c>targetRevision</c> is a version or a semver range. The index is read at most once per
/// <see cref="RenderToolOptions.ChartIndexTtl"/> (unless forced); the chart archive is downloaded
/// once, checked against the index's digest and extracted, safely, into a directory named by that
/// digest, which is what the renderer sees as the tree (so the render cache keys on the digest).
/// </summary>
public sealed class HelmChartSource(RenderToolOptions options, TimeProvider time, HttpClient? httpClient = null)
{
    private const long MaxArchiveBytes = 64L * 1024 * 1024;
    private const long MaxIndexBytes = 32L * 1024 * 1024;
    private readonly HttpClient _http = httpClient ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<string, (JsonObject Index, DateTimeOffset At)> _indexes = new();
    private readonly SemaphoreSlim _extract = new(1);

    public async Task<SourceSnapshot> FetchAsync(string repoUrl, string chart, string targetRevision, RepoCredentials? credentials, bool force, CancellationToken ct)
    {
        var shownRepo = UrlRedactor.Redact(repoUrl);
        if (!Uri.TryCreate(repoUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new SourceException(SourceFailureReason.InvalidSpec, $"{shownRepo}: a Helm repository URL must be http(s)");
        var index = await IndexAsync(baseUri, credentials, force, ct);
        var entries = index["entries"]?[chart] as JsonArray
            ?? throw new SourceException(SourceFailureReason.RevisionNotFound, $"{shownRepo}: chart \"{chart}\" is not in the repository index");
        var versions = entries.OfType<JsonObject>().Select(e => (string?)e["version"]).OfType<string>().ToList();
        var best = SemVerRange.Best(string.IsNullOrWhiteSpace(targetRevision) || targetRevision == "HEAD" ? "*" : targetRevision, versions)
            ?? throw new SourceException(SourceFailureReason.RevisionNotFound, $"{shownRepo}: no version of chart \"{chart}\" matches \"{targetRevision}\" (have {string.Join(", ", versions.Take(10))})");
        var entry = entries.OfType<JsonObject>().First(e => SemVer.TryParse((string?)e["version"] ?? "")?.CompareTo(best) == 0);
        var version = (string)entry["version"]!;
        var url = ((entry["urls"] as JsonArray)?.FirstOrDefault() as JsonValue)?.ToString()
            ?? throw new SourceException(SourceFailureReason.InvalidSpec, $"{shownRepo}: chart {chart} {version} has no download URL");
        var archiveUri = new Uri(baseUri, url);
        var digest = ((string?)entry["digest"])?.ToLowerInvariant();

        var chartsDir = Path.Combine(options.WorkDirectory, "charts");
        var key = digest is { Length: 64 } ? digest : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{archiveUri}|{version}"))).ToLowerInvariant();
        var target = Path.Combine(chartsDir, key);
        if (!File.Exists(Path.Combine(target, ".complete")))
        {
            await _extract.WaitAsync(ct);
            try
            {
                if (!File.Exists(Path.Combine(target, ".complete")))
                {
                    if (!SameOrigin(baseUri, archiveUri)) credentials = null; // never send the repository's credentials elsewhere
                    var bytes = await DownloadAsync(archiveUri, credentials, MaxArchiveBytes, shownRepo, ct);
                    var actual = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
                    if (digest is { Length: 64 } && actual != digest)
                        throw new SourceException(SourceFailureReason.FetchFailed, $"{shownRepo}: chart {chart} {version} does not match the digest in index.yaml");
                    var temp = target + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                    Extract(bytes, temp, shownRepo);
                    if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                    Directory.Move(temp, target);
                    await File.WriteAllTextAsync(Path.Combine(target, ".complete"), $"{chart} {version} {actual}\n", ct);
                }
            }
            finally
            {
                _extract.Release();
            }
        }
        var top = Directory.EnumerateDirectories(target).FirstOrDefault(d => File.Exists(Path.Combine(d, "Chart.yaml")))
            ?? throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shownRepo}: chart {chart} {version} has no Chart.yaml");
        return new SourceSnapshot(version, top, $"{chart} {version}", shownRepo, time.GetUtcNow());
    }

    private async Task<JsonObject> IndexAsync(Uri baseUri, RepoCredentials? credentials, bool force, CancellationToken ct)
    {
        var key = baseUri.ToString() + "|" + credentials?.Username;
        var now = time.GetUtcNow();
        if (!force && _indexes.TryGetValue(key, out var known) && now - known.At < options.ChartIndexTtl) return known.Index;
        var shown = UrlRedactor.Redact(baseUri.ToString());
        var bytes = await DownloadAsync(new Uri(baseUri, "index.yaml"), credentials, MaxIndexBytes, shown, ct);
        JsonObject index;
        try
        {
            index = YamlJson.Parse(Encoding.UTF8.GetString(bytes), "index.yaml") as JsonObject
                ?? throw new SourceException(SourceFailureReason.FetchFailed, $"{shown}: index.yaml is empty");
        }
        catch (RenderException e)
        {
            throw new SourceException(SourceFailureReason.FetchFailed, $"{shown}: index.yaml {e.Message}");
        }
        _indexes[key] = (index, now);
        return index;
    }

    private async Task<byte[]> DownloadAsync(Uri uri, RepoCredentials? credentials, long max, string shown, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credentials?.Username is { } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{credentials.Password}")));
        else if (credentials?.BearerToken is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new SourceException(SourceFailureReason.Unreachable, $"{shown}: {UrlRedactor.Redact(e.Message)}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SourceException(SourceFailureReason.Timeout, $"{shown}: the Helm repository did not answer in time");
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new SourceException(SourceFailureReason.AuthenticationFailed, $"{shown}: the Helm repository refused the credentials ({(int)response.StatusCode})");
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new SourceException(SourceFailureReason.RepositoryNotFound, $"{shown}: {uri.AbsolutePath} not found");
            if (!response.IsSuccessStatusCode)
                throw new SourceException(SourceFailureReason.FetchFailed, $"{shown}: HTTP {(int)response.StatusCode} for {uri.AbsolutePath}");
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > max) throw new SourceException(SourceFailureReason.FetchFailed, $"{shown}: {uri.AbsolutePath} is larger than {max} bytes");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }

    /// <summary>Extracts a chart archive: regular files and directories only, every name relative and inside, sizes capped.</summary>
    internal static void Extract(byte[] archive, string to, string shown)
    {
        Directory.CreateDirectory(to);
        var root = Path.GetFullPath(to);
        long total = 0;
        try
        {
            using var gz = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes) continue;
                if (name.StartsWith('/') || name.Split('/').Contains(".."))
                    throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shown}: the chart archive has an unsafe entry \"{name}\"");
                var full = Path.GetFullPath(Path.Combine(root, name));
                if (!PathGuard.IsInside(root, full))
                    throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shown}: the chart archive has an unsafe entry \"{name}\"");
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(full);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        total += entry.Length;
                        if (total > 4 * MaxArchiveBytes)
                            throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shown}: the chart archive unpacks to more than {4 * MaxArchiveBytes} bytes");
                        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                        entry.ExtractToFile(full, overwrite: true);
                        break;
                    default:
                        throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shown}: the chart archive has a {entry.EntryType} entry \"{name}\"; only files and directories are allowed");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shown}: the chart archive cannot be read: {e.Message}");
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
