using System.Security.Cryptography;
using System.Text;

namespace GitOps.Operator.Source;

/// <summary>
/// A name for a set of repository credentials that cache keys can carry: HMAC-SHA256 of every field
/// under a key drawn at process start. Equal credentials get the same name, so Applications that
/// share them share one ls and one fetch; different credentials (a wrong password) never share a
/// cache entry with good ones; and neither the name nor a memory dump of the keys reveals a secret,
/// since the HMAC key never leaves the process.
/// </summary>
internal static class CredentialIdentity
{
    public const string Anonymous = "anonymous";

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string Of(RepoCredentials? credentials)
    {
        if (credentials is null || credentials.IsAnonymous) return Anonymous;
        var text = new StringBuilder();
        foreach (var field in new[] { credentials.Username, credentials.Password, credentials.BearerToken, credentials.SshPrivateKey, credentials.KnownHosts })
        {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            text.Append(field is null ? "-1" : field.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }
        return Convert.ToHexString(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(text.ToString())), 0, 16).ToLowerInvariant();
    }
}
