using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace GitOps.Operator.Webhooks;

/// <summary>
/// Checks that a delivery was sent by someone who knows the secret, always in constant time
/// (<see cref="CryptographicOperations.FixedTimeEquals"/>):
/// GitHub <c>X-Hub-Signature-256: sha256=HEX</c>, Bitbucket Cloud <c>X-Hub-Signature: sha256=HEX</c>,
/// Gitea/Forgejo <c>X-Gitea-Signature</c> / <c>X-Forgejo-Signature: HEX</c> (HMAC-SHA256 of the body),
/// GitLab <c>X-Gitlab-Token</c> (the secret itself), generic <c>X-GitOps-Signature-256: sha256=HEX</c>.
/// </summary>
public static class WebhookSignatures
{
    public const string GitHubHeader = "X-Hub-Signature-256";
    public const string BitbucketHeader = "X-Hub-Signature";
    public const string GiteaHeader = "X-Gitea-Signature";
    public const string ForgejoHeader = "X-Forgejo-Signature";
    public const string GitLabHeader = "X-Gitlab-Token";
    public const string GenericHeader = "X-GitOps-Signature-256";

    public static bool Verify(WebhookProvider provider, IHeaderDictionary headers, ReadOnlySpan<byte> body, byte[] secret)
    {
        if (secret.Length == 0) return false;
        return provider switch
        {
            WebhookProvider.GitHub => VerifyHmac(Header(headers, GitHubHeader), "sha256=", body, secret),
            WebhookProvider.Bitbucket => VerifyHmac(Header(headers, BitbucketHeader), "sha256=", body, secret),
            WebhookProvider.Gitea => VerifyHmac(Header(headers, GiteaHeader) ?? Header(headers, ForgejoHeader), "", body, secret),
            WebhookProvider.Generic => VerifyHmac(Header(headers, GenericHeader), "sha256=", body, secret),
            WebhookProvider.GitLab => VerifyToken(Header(headers, GitLabHeader), secret),
            _ => false,
        };
    }

    /// <summary>The hex HMAC-SHA256 of a body (what senders put in the signature header, without prefix).</summary>
    public static string Sign(ReadOnlySpan<byte> body, byte[] secret) => Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    private static bool VerifyHmac(string? header, string prefix, ReadOnlySpan<byte> body, byte[] secret)
    {
        if (header is null || !header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var hex = header.AsSpan(prefix.Length).Trim();
        if (hex.Length != 64) return false;
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(hex, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(secret, body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>Compares digests, so neither the content nor the length of the secret leaks through timing.</summary>
    private static bool VerifyToken(string? token, byte[] secret)
    {
        if (token is null) return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var expected = SHA256.HashData(secret);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;
}
