using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Operator.Source;

/// <summary>How a repository URL is reached.</summary>
public enum RepoTransport
{
    Http,
    Ssh,
    Local,
}

/// <summary>
/// A parsed repository URL: the URL to hand to the transport (userinfo removed for HTTP, where
/// it becomes credentials), the redacted form for messages, and the normalised cache key shared by
/// every Application that names the same repository. <see cref="Comparable"/> is the looser form a
/// person means by "the same repository" (a push webhook's URL against an Application's).
/// </summary>
public sealed partial record RepoUrl(string Original, string TransportUrl, RepoTransport Transport, string Display, string Normalized, RepoCredentials? UrlCredentials)
{
    /// <summary>A file-system-safe name for the bare repository cache: a readable stem plus a hash of <see cref="Normalized"/>.</summary>
    public string CacheKey
    {
        get
        {
            var stem = UnsafeChars().Replace(Normalized.Split("://").Last(), "_");
            return $"{stem[..Math.Min(stem.Length, 48)]}-{NormalizedHash}";
        }
    }

    /// <summary>
    /// The directory name of <paramref name="commit"/>'s tree taken from this repository. The repository is
    /// part of it: a commit SHA is no secret, and naming another repository's commit must never hand out
    /// a tree only that repository's readers may see.
    /// </summary>
    public string TreeKey(string commit) => $"{commit}-{NormalizedHash}";

    private string NormalizedHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalized)))[..16];

    public override string ToString() => Display;

    public static RepoUrl Parse(string url)
    {
        if (string.IsNullOrWhiteSpace(url)) throw new SourceException(SourceFailureReason.InvalidSpec, "repository URL is empty");
        url = url.Trim();
        var display = UrlRedactor.Redact(url);
        if (url.Any(char.IsControl))
            throw new SourceException(SourceFailureReason.InvalidSpec, $"{string.Concat(display.Where(c => !char.IsControl(c)))}: a repository URL cannot hold control characters");
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                throw new SourceException(SourceFailureReason.InvalidSpec, $"{display}: not a valid URL");
            }

            RepoCredentials? fromUrl = null;
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
                fromUrl = colon < 0
                    ? RepoCredentials.Basic(Uri.UnescapeDataString(uri.UserInfo), string.Empty)
                    : RepoCredentials.Basic(Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
            }

            var clean = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
            var normalized = $"{uri.Scheme.ToLowerInvariant()}://{uri.Host.ToLowerInvariant()}{(uri.IsDefaultPort ? string.Empty : ":" + uri.Port)}{TrimPath(uri.AbsolutePath)}";
            return new RepoUrl(url, clean, RepoTransport.Http, UrlRedactor.Redact(clean), normalized, fromUrl);
        }

        if (url.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("git+ssh://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                throw new SourceException(SourceFailureReason.InvalidSpec, $"{display}: not a valid URL");
            }

            var normalized = $"ssh://{uri.Host.ToLowerInvariant()}{(uri.Port is -1 or 22 ? string.Empty : ":" + uri.Port)}{TrimPath(uri.AbsolutePath)}";
            return new RepoUrl(url, url, RepoTransport.Ssh, display, normalized, null);
        }

        if (!url.Contains("://", StringComparison.Ordinal) && ScpLike().Match(url) is { Success: true } scp)
        {
            var normalized = $"ssh://{scp.Groups["host"].Value.ToLowerInvariant()}/{TrimPath(scp.Groups["path"].Value).TrimStart('/')}";
            return new RepoUrl(url, url, RepoTransport.Ssh, display, normalized, null);
        }

        if (url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) || Path.IsPathRooted(url))
        {
            try
            {
                var path = url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(url).LocalPath : url;
                return new RepoUrl(url, path, RepoTransport.Local, display, "file://" + TrimPath(Path.GetFullPath(path)), null);
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException)
            {
                throw new SourceException(SourceFailureReason.InvalidSpec, $"{display}: not a usable path ({e.Message})");
            }
        }

        throw new SourceException(SourceFailureReason.InvalidSpec, $"{display}: unsupported repository URL (use https://, http://, ssh://, user@host:path or an absolute path)");
    }

    /// <summary>
    /// Repository URLs compared the way a person would: <c>https://Host/org/repo.git/</c>,
    /// <c>http://host/org/repo</c>, <c>ssh://git@host:22/org/repo.git</c> and <c>git@host:org/repo</c>
    /// all give <c>host/org/repo</c>. Scheme, user info, default ports (22, 80, 443), a <c>.git</c>
    /// suffix, trailing slashes, a query and case are ignored. Never throws.
    /// </summary>
    public static string Comparable(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var u = url.Trim();
        string authority, path;
        var scheme = u.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var rest = u[(scheme + 3)..];
            var slash = rest.IndexOf('/');
            authority = slash >= 0 ? rest[..slash] : rest;
            path = slash >= 0 ? rest[slash..] : "";
        }
        else
        {
            // scp-like: [user@]host:path
            var colon = u.IndexOf(':');
            if (colon < 0) return TrimPath(u).ToLowerInvariant();
            authority = u[..colon];
            path = "/" + u[(colon + 1)..];
        }
        var at = authority.LastIndexOf('@');
        if (at >= 0) authority = authority[(at + 1)..];
        var port = authority.LastIndexOf(':');
        if (port >= 0 && authority[(port + 1)..] is "22" or "80" or "443" or "") authority = authority[..port];
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0) path = path[..query];
        return TrimPath(authority + "/" + path.Trim('/')).ToLowerInvariant();
    }

    /// <summary>Whether two URLs name the same repository (<see cref="Comparable"/>).</summary>
    public static bool Same(string a, string b) => string.Equals(Comparable(a), Comparable(b), StringComparison.Ordinal);

    private static string TrimPath(string path)
    {
        path = path.TrimEnd('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        return path.TrimEnd('/');
    }

    [GeneratedRegex(@"^(?:(?<user>[^@/:\s]+)@)?(?<host>[^/:\s]+):(?<path>[^/\\].*|/.*)$")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeChars();
}
