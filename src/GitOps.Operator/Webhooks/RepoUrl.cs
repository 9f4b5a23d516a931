namespace GitOps.Operator.Webhooks;

/// <summary>
/// Repository URLs compared the way a person would: <c>https://Host/org/repo.git/</c>,
/// <c>http://host/org/repo</c>, <c>ssh://git@host:22/org/repo.git</c> and <c>git@host:org/repo</c>
/// all name the same repository. Scheme, user info, default ports (22, 80, 443), a <c>.git</c>
/// suffix, trailing slashes and case are ignored.
/// </summary>
public static class RepoUrl
{
    /// <summary>The comparable form: lower-case <c>host[:port]/path</c> without <c>.git</c>.</summary>
    public static string Normalize(string url)
    {
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
            if (colon < 0) return Clean(u);
            authority = u[..colon];
            path = "/" + u[(colon + 1)..];
        }
        var at = authority.LastIndexOf('@');
        if (at >= 0) authority = authority[(at + 1)..];
        var port = authority.LastIndexOf(':');
        if (port >= 0 && authority[(port + 1)..] is "22" or "80" or "443" or "") authority = authority[..port];
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0) path = path[..query];
        return Clean(authority + "/" + path.Trim('/'));
    }

    public static bool Same(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    private static string Clean(string s)
    {
        s = s.TrimEnd('/');
        if (s.EndsWith(".git", StringComparison.OrdinalIgnoreCase)) s = s[..^4];
        return s.TrimEnd('/').ToLowerInvariant();
    }
}
