using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// Bearer tokens the sandbox issued, as a static token file would hold them: each names one user
/// with its groups and uid. An unknown token authenticates no one.
/// </summary>
internal sealed class TokenAuthenticator
{
    private readonly ConcurrentDictionary<string, UserInfo> _tokens = new(StringComparer.Ordinal);

    public string Issue(UserInfo user)
    {
        var token = "sandbox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = user;
        return token;
    }

    public UserInfo? Authenticate(string token) => _tokens.TryGetValue(token, out var user) ? user : null;

    /// <summary>The token of an "Authorization: Bearer ..." header, or null when there is none.</summary>
    public static string? BearerToken(string? header)
    {
        if (string.IsNullOrEmpty(header)) return null;
        var parts = header.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase) && parts[1].Trim().Length > 0 ? parts[1].Trim() : null;
    }
}
