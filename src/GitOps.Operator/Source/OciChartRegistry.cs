using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Operator.Source;

/// <summary>Where a chart lives in an OCI registry: <c>oci://host[:port]/path</c> plus the chart's name.</summary>
public sealed partial record OciChartReference(string Registry, string Repository, bool PlainHttp)
{
    public Uri Base => new($"{(PlainHttp ? "http" : "https")}://{Registry}/v2/{Repository}/");

    public override string ToString() => $"oci://{Registry}/{Repository}";

    /// <summary>
    /// Parses <paramref name="repoUrl"/> (<c>oci://registry/path</c>) and the chart name. HTTPS always,
    /// except for a registry on a loopback address, which is spoken to in plain HTTP (as
    /// <c>helm --plain-http</c> would) because no certificate can name it.
    /// </summary>
    public static OciChartReference Parse(string repoUrl, string chart)
    {
        var shown = UrlRedactor.Redact(repoUrl);
        if (!Uri.TryCreate(repoUrl, UriKind.Absolute, out var uri) || uri.Scheme != "oci" || uri.Host.Length == 0)
            throw new SourceException(SourceFailureReason.InvalidSpec, $"{shown}: an OCI chart repository must look like oci://registry/path");
        if (uri.UserInfo.Length > 0)
            throw new SourceException(SourceFailureReason.InvalidSpec, $"{shown}: put registry credentials in spec.source.secretRef, not in the URL");
        var path = uri.AbsolutePath.Trim('/');
        var name = chart.Trim('/');
        if (name.Length == 0 || !RepositoryName().IsMatch(name) || (path.Length > 0 && !RepositoryName().IsMatch(path)))
            throw new SourceException(SourceFailureReason.InvalidSpec, $"{shown}: \"{chart}\" is not a valid OCI repository name");
        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        return new OciChartReference(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", path.Length == 0 ? name : $"{path}/{name}", loopback);
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryName();
}

/// <summary>
/// Pulls Helm charts from an OCI registry (the distribution API Helm 3.8+ pushes to): tags for the
/// versions (Helm writes <c>+</c> as <c>_</c> in a tag), the manifest for the chart layer's digest,
/// then the layer itself, verified against that digest. Anonymous or basic credentials, exchanged
/// for a bearer token when the registry asks (<c>WWW-Authenticate: Bearer realm=…</c>), as Docker
/// Hub, GHCR, ECR and Harbor do. A blob redirect (to a CDN) is followed without the credentials.
/// </summary>
public sealed partial class OciChartRegistry(HttpClient http)
{
    public const string ChartLayerMediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>The chart versions the registry has (every tag, pages followed, <c>_</c> turned back into <c>+</c>).</summary>
    public async Task<IReadOnlyList<string>> VersionsAsync(OciChartReference chart, RepoCredentials? credentials, long maxBytes, CancellationToken ct)
    {
        var versions = new List<string>();
        var next = new Uri(chart.Base, "tags/list?n=1000");
        for (var page = 0; page < 100 && next is not null; page++)
        {
            var (body, headers) = await GetAsync(chart, next, "application/json", credentials, maxBytes, ct);
            var tags = ParseJson(body, chart, "tags/list")["tags"] as JsonArray ?? [];
            versions.AddRange(tags.Select(t => (string?)t).OfType<string>().Select(t => t.Replace('_', '+')));
            next = NextPage(headers, next);
        }
        return versions;
    }

    /// <summary>The digest (<c>sha256:…</c>) of one version's chart layer, from its manifest.</summary>
    public async Task<string> ChartDigestAsync(OciChartReference chart, string version, RepoCredentials? credentials, CancellationToken ct)
    {
        var tag = version.Replace('+', '_');
        var (manifestBytes, _) = await GetAsync(chart, new Uri(chart.Base, $"manifests/{Uri.EscapeDataString(tag)}"), ManifestMediaType, credentials, 4 * 1024 * 1024, ct);
        var manifest = ParseJson(manifestBytes, chart, $"the manifest of {version}");
        var layer = (manifest["layers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(l => (string?)l["mediaType"] == ChartLayerMediaType)
            ?? throw new SourceException(SourceFailureReason.FetchFailed, $"{chart}:{tag} is not a Helm chart (no {ChartLayerMediaType} layer)");
        var digest = (string?)layer["digest"] ?? "";
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71)
            throw new SourceException(SourceFailureReason.FetchFailed, $"{chart}:{tag}: the chart layer's digest \"{digest}\" is not a sha256 digest");
        return digest;
    }

    /// <summary>The chart archive with that digest, checked against it.</summary>
    public async Task<byte[]> ChartArchiveAsync(OciChartReference chart, string digest, RepoCredentials? credentials, long maxBytes, CancellationToken ct)
    {
        var (archive, _) = await GetAsync(chart, new Uri(chart.Base, $"blobs/{digest}"), "*/*", credentials, maxBytes, ct);
        if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(archive)) != digest)
            throw new SourceException(SourceFailureReason.FetchFailed, $"{chart}: the chart layer {digest} does not match its digest");
        return archive;
    }

    private async Task<(byte[] Body, HttpResponseHeaders Headers)> GetAsync(OciChartReference chart, Uri uri, string accept, RepoCredentials? credentials, long maxBytes, CancellationToken ct)
    {
        var auth = ChartHttp.Authorization(credentials);
        var target = uri;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            request.Headers.Accept.ParseAdd(accept);
            if (auth is not null && ChartHttp.SameOrigin(target, chart.Base)) request.Headers.Authorization = auth;
            using var response = await SendAsync(chart, request, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme == "Bearer") is { } challenge)
            {
                auth = new AuthenticationHeaderValue("Bearer", await TokenAsync(chart, challenge, credentials, ct));
                continue;
            }
            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                target = new Uri(target, location); // a CDN: the credentials stay with the registry (SameOrigin above)
                continue;
            }
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new SourceException(SourceFailureReason.AuthenticationFailed, $"{chart}: the registry refused the credentials ({(int)response.StatusCode})");
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new SourceException(SourceFailureReason.RevisionNotFound, $"{chart}: {uri.AbsolutePath} not found");
            if (!response.IsSuccessStatusCode)
                throw new SourceException(SourceFailureReason.FetchFailed, $"{chart}: HTTP {(int)response.StatusCode} for {uri.AbsolutePath}");
            return (await ReadCappedAsync(response, maxBytes, chart, uri, ct), response.Headers);
        }
        throw new SourceException(SourceFailureReason.FetchFailed, $"{chart}: too many redirects or challenges for {uri.AbsolutePath}");
    }

    /// <summary>The token flow of the distribution spec: GET realm?service=…&amp;scope=… (with basic credentials when there are some).</summary>
    private async Task<string> TokenAsync(OciChartReference chart, AuthenticationHeaderValue challenge, RepoCredentials? credentials, CancellationToken ct)
    {
        var parameters = ChallengeParameters().Matches(challenge.Parameter ?? "").ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
            throw new SourceException(SourceFailureReason.AuthenticationFailed, $"{chart}: the registry asked for a token without a usable realm");
        if (realmUri.Scheme == "http" && !chart.PlainHttp)
            throw new SourceException(SourceFailureReason.AuthenticationFailed, $"{chart}: the registry's token realm is not HTTPS");
        var query = string.Join('&', new[] { "service", "scope" }.Where(parameters.ContainsKey).Select(k => $"{k}={Uri.EscapeDataString(parameters[k])}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? realmUri : new Uri($"{realmUri}{(realmUri.Query.Length > 0 ? "&" : "?")}{query}"));
        if (credentials?.Username is { } user) request.Headers.Authorization = ChartHttp.Basic(user, credentials.Password);
        using var response = await SendAsync(chart, request, ct);
        if (!response.IsSuccessStatusCode)
            throw new SourceException(SourceFailureReason.AuthenticationFailed, $"{chart}: the registry's token service refused the credentials ({(int)response.StatusCode})");
        var token = ParseJson(await ReadCappedAsync(response, 1024 * 1024, chart, realmUri, ct), chart, "the token");
        return (string?)token["token"] ?? (string?)token["access_token"]
            ?? throw new SourceException(SourceFailureReason.AuthenticationFailed, $"{chart}: the registry's token service answered without a token");
    }

    [GeneratedRegex("""(?<key>[A-Za-z]+)="(?<value>[^"]*)"?""")]
    private static partial Regex ChallengeParameters();

    private Task<HttpResponseMessage> SendAsync(OciChartReference chart, HttpRequestMessage request, CancellationToken ct) =>
        ChartHttp.SendAsync(http, request, chart.ToString(), ct);

    private static Task<byte[]> ReadCappedAsync(HttpResponseMessage response, long max, OciChartReference chart, Uri uri, CancellationToken ct) =>
        ChartHttp.ReadCappedAsync(response, max, chart.ToString(), uri, ct);

    private static JsonObject ParseJson(byte[] body, OciChartReference chart, string what)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new System.Text.Json.JsonException("not an object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new SourceException(SourceFailureReason.FetchFailed, $"{chart}: {what} is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The next page of a tag list from its <c>Link: &lt;…&gt;; rel="next"</c> header.</summary>
    private static Uri? NextPage(HttpResponseHeaders headers, Uri current)
    {
        if (!headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var match = NextLink().Match(link);
            if (match.Success) return new Uri(current, match.Groups["url"].Value);
        }
        return null;
    }

    [GeneratedRegex("""<(?<url>[^>]+)>\s*;\s*rel="?next"?""")]
    private static partial Regex NextLink();

}
