using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Operator.Source;

/// <summary>
/// Charts from a Helm repository (<c>index.yaml</c> over HTTP(S), optional basic auth):
/// <c>targetRevision</c> is a version or a semver range. The index is read at most once per
/// <see cref="ChartSourceOptions.ChartIndexTtl"/> (unless forced); the chart archive is downloaded
/// once, checked against the index's digest and extracted, safely, into a directory named by that
/// digest, which is what the renderer sees as the tree (so the render cache keys on the digest).
/// Dependencies that come from the same repository are fetched the same way into its <c>charts/</c>.
/// </summary>
public sealed class HelmChartSource(ChartSourceOptions options, TimeProvider time, HttpClient? httpClient = null)
{
    private const long MaxArchiveBytes = 64L * 1024 * 1024;
    private const long MaxIndexBytes = 32L * 1024 * 1024;
    private readonly HttpClient _http = httpClient ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<string, (JsonObject Index, DateTimeOffset At)> _indexes = new();
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Versions, DateTimeOffset At)> _ociVersions = new();
    private readonly ConcurrentDictionary<string, (string Digest, DateTimeOffset At)> _ociDigests = new();
    private readonly SemaphoreSlim _extract = new(1);

    public async Task<SourceSnapshot> FetchAsync(string repoUrl, string chart, string targetRevision, RepoCredentials? credentials, bool force, CancellationToken ct)
    {
        if (repoUrl.StartsWith("oci://", StringComparison.OrdinalIgnoreCase))
            return await FetchOciAsync(OciChartReference.Parse(repoUrl, chart), chart, targetRevision, credentials, force, ct);
        var shownRepo = UrlRedactor.Redact(repoUrl);
        if (!Uri.TryCreate(repoUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new SourceException(SourceFailureReason.InvalidSpec, $"{shownRepo}: a Helm repository URL must be http(s)");
        var index = await IndexAsync(baseUri, credentials, force, ct);
        var release = Pick(index, baseUri, chart, string.IsNullOrWhiteSpace(targetRevision) || targetRevision == "HEAD" ? "*" : targetRevision, shownRepo, "");
        var target = ChartDirectory(release.Key, baseUri.ToString());
        await OnceAsync(target, async temp =>
        {
            Extract(await DownloadVerifiedAsync(release, baseUri, credentials, shownRepo, ct), temp, shownRepo);
            return $"{chart} {release.Version}";
        }, ct);
        var top = Directory.EnumerateDirectories(target).FirstOrDefault(d => File.Exists(Path.Combine(d, "Chart.yaml")))
            ?? throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shownRepo}: chart {chart} {release.Version} has no Chart.yaml");
        var withDependencies = await WithDependenciesAsync(top, release, index, baseUri, credentials, shownRepo, ct);
        return new SourceSnapshot(release.Version, withDependencies, $"{chart} {release.Version}", shownRepo, time.GetUtcNow());
    }

    /// <summary>
    /// A chart from an OCI registry: an exact version is pulled by its tag; a range (or none) lists the
    /// tags first; tags and each version's manifest are read at most once per
    /// <see cref="ChartSourceOptions.ChartIndexTtl"/> unless forced (a tag can be pushed again). The
    /// archive is downloaded once and cached by its layer digest, like a repository chart.
    /// Dependencies must be vendored.
    /// </summary>
    private async Task<SourceSnapshot> FetchOciAsync(OciChartReference reference, string chart, string targetRevision, RepoCredentials? credentials, bool force, CancellationToken ct)
    {
        var range = string.IsNullOrWhiteSpace(targetRevision) || targetRevision == "HEAD" ? "*" : targetRevision.Trim();
        var registry = new OciChartRegistry(_http);
        var version = SemVer.TryParse(range) is not null ? range : await BestOciVersionAsync(registry, reference, range, credentials, force, ct);
        var key = $"{reference}:{version}|{CredentialIdentity.Of(credentials)}";
        var now = time.GetUtcNow();
        string digest;
        if (!force && _ociDigests.TryGetValue(key, out var known) && now - known.At < options.ChartIndexTtl) digest = known.Digest;
        else
        {
            digest = await registry.ChartDigestAsync(reference, version, credentials, ct);
            _ociDigests[key] = (digest, now);
        }
        var target = ChartDirectory(digest["sha256:".Length..], reference.ToString());
        await OnceAsync(target, async temp =>
        {
            Extract(await registry.ChartArchiveAsync(reference, digest, credentials, MaxArchiveBytes, ct), temp, reference.ToString());
            return $"{reference}:{version}";
        }, ct);
        var top = Directory.EnumerateDirectories(target).FirstOrDefault(d => File.Exists(Path.Combine(d, "Chart.yaml")))
            ?? throw new SourceException(SourceFailureReason.CheckoutFailed, $"{reference}:{version} has no Chart.yaml");
        return new SourceSnapshot(version, top, $"{chart} {version}", reference.ToString(), time.GetUtcNow());
    }

    private async Task<string> BestOciVersionAsync(OciChartRegistry registry, OciChartReference reference, string range, RepoCredentials? credentials, bool force, CancellationToken ct)
    {
        var key = reference + "|" + CredentialIdentity.Of(credentials);
        var now = time.GetUtcNow();
        IReadOnlyList<string> versions;
        if (!force && _ociVersions.TryGetValue(key, out var known) && now - known.At < options.ChartIndexTtl) versions = known.Versions;
        else
        {
            versions = await registry.VersionsAsync(reference, credentials, MaxIndexBytes, ct);
            _ociVersions[key] = (versions, now);
        }
        var best = SemVerRange.Best(range, versions)
            ?? throw new SourceException(SourceFailureReason.RevisionNotFound, $"{reference}: no version matches \"{range}\" (have {string.Join(", ", versions.Take(10))})");
        return versions.First(v => SemVer.TryParse(v)?.CompareTo(best) == 0);
    }

    /// <summary>
    /// Where a chart's content goes: named by its digest and by where it was downloaded from. A digest
    /// is no secret, and a repository that merely claims another's digest in its index must download
    /// (and fail to verify) rather than be handed the chart fetched with the other's credentials.
    /// </summary>
    private string ChartDirectory(string digest, string origin) =>
        Path.Combine(options.WorkDirectory, "charts", $"{digest}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin)))[..16]}");

    /// <summary>One chart version of the index: where its archive is and the digest it must have.</summary>
    private sealed record ChartRelease(string Name, string Version, Uri Archive, string? Digest)
    {
        /// <summary>A directory name for the archive's content: its digest, or a hash of where it came from when the index has none.</summary>
        public string Key => Digest is { Length: 64 } d ? d : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{Archive}|{Version}"))).ToLowerInvariant();
    }

    private static ChartRelease Pick(JsonObject index, Uri baseUri, string chart, string range, string shownRepo, string asDependencyOf)
    {
        var what = asDependencyOf.Length == 0 ? $"chart \"{chart}\"" : $"dependency \"{chart}\" of {asDependencyOf}";
        var entries = index["entries"]?[chart] as JsonArray
            ?? throw new SourceException(SourceFailureReason.RevisionNotFound, $"{shownRepo}: {what} is not in the repository index");
        var versions = entries.OfType<JsonObject>().Select(e => (string?)e["version"]).OfType<string>().ToList();
        var best = SemVerRange.Best(range, versions)
            ?? throw new SourceException(SourceFailureReason.RevisionNotFound, $"{shownRepo}: no version of {what} matches \"{range}\" (have {string.Join(", ", versions.Take(10))})");
        var entry = entries.OfType<JsonObject>().First(e => SemVer.TryParse((string?)e["version"] ?? "")?.CompareTo(best) == 0);
        var version = (string)entry["version"]!;
        var url = ((entry["urls"] as JsonArray)?.FirstOrDefault() as JsonValue)?.ToString()
            ?? throw new SourceException(SourceFailureReason.InvalidSpec, $"{shownRepo}: {what} {version} has no download URL");
        return new ChartRelease(chart, version, new Uri(baseUri, url), ((string?)entry["digest"])?.ToLowerInvariant());
    }

    private async Task<byte[]> DownloadVerifiedAsync(ChartRelease release, Uri baseUri, RepoCredentials? credentials, string shownRepo, CancellationToken ct)
    {
        if (!ChartHttp.SameOrigin(baseUri, release.Archive)) credentials = null; // never send the repository's credentials elsewhere
        var bytes = await DownloadAsync(release.Archive, credentials, MaxArchiveBytes, shownRepo, ct);
        var actual = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        if (release.Digest is { Length: 64 } && actual != release.Digest)
            throw new SourceException(SourceFailureReason.FetchFailed, $"{shownRepo}: chart {release.Name} {release.Version} does not match the digest in index.yaml");
        return bytes;
    }

    /// <summary>
    /// The chart with its dependencies from this same repository placed in <c>charts/</c> (versions
    /// from <c>Chart.lock</c> when it names them, else the best match of the range), as
    /// <c>helm dependency build</c> would, in a directory of its own named by every digest involved.
    /// Dependencies already vendored or local (<c>file://</c>) are left alone; any from elsewhere
    /// are left for the renderer to refuse.
    /// </summary>
    private async Task<string> WithDependenciesAsync(string top, ChartRelease release, JsonObject index, Uri baseUri, RepoCredentials? credentials, string shownRepo, CancellationToken ct)
    {
        var chartFile = ReadChartFile(Path.Combine(top, "Chart.yaml"), shownRepo);
        var locked = (ReadChartFile(Path.Combine(top, "Chart.lock"), shownRepo)?["dependencies"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var fetch = new List<ChartRelease>();
        foreach (var dep in (chartFile?["dependencies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)dep["name"] ?? "";
            var repository = (string?)dep["repository"] ?? "";
            if (name.Length == 0 || !IsSameRepository(repository, baseUri) || IsVendored(top, name)) continue;
            var pinned = locked.FirstOrDefault(l => (string?)l["name"] == name && IsSameRepository((string?)l["repository"] ?? "", baseUri));
            var range = (string?)pinned?["version"] ?? (string?)dep["version"] ?? "*";
            fetch.Add(Pick(index, baseUri, name, range, shownRepo, $"{release.Name} {release.Version}"));
        }
        if (fetch.Count == 0) return top;
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', [release.Key, .. fetch.Select(f => f.Key)])))).ToLowerInvariant();
        var target = ChartDirectory(key, baseUri.ToString());
        await OnceAsync(target, async temp =>
        {
            var copy = Path.Combine(temp, Path.GetFileName(top));
            CopyDirectory(top, copy);
            foreach (var dep in fetch)
                Extract(await DownloadVerifiedAsync(dep, baseUri, credentials, shownRepo, ct), Path.Combine(copy, "charts"), shownRepo);
            return string.Join(' ', fetch.Select(f => $"{f.Name} {f.Version}"));
        }, ct);
        return Path.Combine(target, Path.GetFileName(top));
    }

    private static JsonObject? ReadChartFile(string file, string shownRepo)
    {
        if (!File.Exists(file)) return null;
        try
        {
            return YamlJson.Parse(File.ReadAllText(file), Path.GetFileName(file)) as JsonObject;
        }
        catch (ManifestException e)
        {
            throw new SourceException(SourceFailureReason.CheckoutFailed, $"{shownRepo}: {e.Message}");
        }
    }

    /// <summary>Whether a dependency's <c>repository</c> is the Helm repository the chart itself came from (credentials in the URL ignored).</summary>
    internal static bool IsSameRepository(string repository, Uri baseUri)
    {
        if (!repository.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !repository.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return false;
        if (!Uri.TryCreate(repository.TrimEnd('/') + "/", UriKind.Absolute, out var uri)) return false;
        const UriComponents parts = UriComponents.SchemeAndServer | UriComponents.Path;
        return string.Equals(uri.GetComponents(parts, UriFormat.UriEscaped), baseUri.GetComponents(parts, UriFormat.UriEscaped), StringComparison.Ordinal);
    }

    /// <summary>Fills <paramref name="target"/> once: built in a temp directory by <paramref name="fill"/>, moved into place, marked complete.</summary>
    private async Task OnceAsync(string target, Func<string, Task<string>> fill, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(target, ".complete"))) return;
        await _extract.WaitAsync(ct);
        try
        {
            if (File.Exists(Path.Combine(target, ".complete"))) return;
            var temp = target + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            try
            {
                Directory.CreateDirectory(temp);
                var what = await fill(temp);
                if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                Directory.Move(temp, target);
                await File.WriteAllTextAsync(Path.Combine(target, ".complete"), what + "\n", ct);
            }
            finally
            {
                if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            }
        }
        finally
        {
            _extract.Release();
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    private async Task<JsonObject> IndexAsync(Uri baseUri, RepoCredentials? credentials, bool force, CancellationToken ct)
    {
        var key = baseUri.ToString() + "|" + CredentialIdentity.Of(credentials);
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
        catch (ManifestException e)
        {
            throw new SourceException(SourceFailureReason.FetchFailed, $"{shown}: index.yaml {e.Reason}");
        }
        _indexes[key] = (index, now);
        return index;
    }

    private async Task<byte[]> DownloadAsync(Uri uri, RepoCredentials? credentials, long max, string shown, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = ChartHttp.Authorization(credentials);
        using var response = await ChartHttp.SendAsync(_http, request, shown, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new SourceException(SourceFailureReason.AuthenticationFailed, $"{shown}: the Helm repository refused the credentials ({(int)response.StatusCode})");
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new SourceException(SourceFailureReason.RepositoryNotFound, $"{shown}: {uri.AbsolutePath} not found");
        if (!response.IsSuccessStatusCode)
            throw new SourceException(SourceFailureReason.FetchFailed, $"{shown}: HTTP {(int)response.StatusCode} for {uri.AbsolutePath}");
        return await ChartHttp.ReadCappedAsync(response, max, shown, uri, ct);
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
                if (!SafePaths.IsInside(root, full))
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

    /// <summary>Whether the chart in <paramref name="dir"/> carries dependency <paramref name="name"/> in charts/ (a directory or an archive).</summary>
    public static bool IsVendored(string dir, string name)
    {
        var charts = Path.Combine(dir, "charts");
        if (!Directory.Exists(charts) || name.Length == 0) return false;
        return Directory.Exists(Path.Combine(charts, name)) ||
               Directory.EnumerateFiles(charts, name + "-*.tgz").Any();
    }
}
