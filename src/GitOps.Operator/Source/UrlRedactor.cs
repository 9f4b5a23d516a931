using System.Text.RegularExpressions;

namespace GitOps.Operator.Source;

/// <summary>
/// Removes credentials from text before it reaches a message, a log, a status or an event:
/// the <c>user:password@</c> part of every URL, and (with credentials) every secret value.
/// </summary>
public static partial class UrlRedactor
{
    /// <summary>Strips userinfo (<c>user:password@</c>, <c>token@</c>) from every <c>scheme://</c> URL in <paramref name="text"/>.</summary>
    public static string Redact(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : UserInfo().Replace(text, "$1");

    /// <summary><see cref="Redact(string?)"/> plus every secret value of <paramref name="credentials"/> replaced with <c>***</c>.</summary>
    public static string Redact(string? text, RepoCredentials? credentials)
    {
        var result = Redact(text);
        if (credentials is null) return result;
        foreach (var secret in credentials.SecretValues().OrderByDescending(s => s.Length))
        {
            result = result.Replace(secret, "***", StringComparison.Ordinal);
        }

        return result;
    }

    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.\-]*://)[^/?#\s@]*@")]
    private static partial Regex UserInfo();
}
