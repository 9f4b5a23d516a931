using System.Security.Cryptography;
using System.Text;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// The age identities one Application may decrypt with, read from its decryption Secret (every data
/// key named <c>*.agekey</c>, as Flux names them). <see cref="Digest"/> names this set of keys in cache
/// keys without revealing them: two Applications share a decrypted render only when they hold the
/// same identities.
/// </summary>
public sealed class SopsKeyring
{
    public const string KeySuffix = ".agekey";

    private SopsKeyring(IReadOnlyList<AgeIdentity> identities, string digest) => (Identities, Digest) = (identities, digest);

    public IReadOnlyList<AgeIdentity> Identities { get; }

    /// <summary>SHA-256 over the identities' secret keys, as hex (the keys are random 32-byte scalars).</summary>
    public string Digest { get; }

    public static SopsKeyring Of(IReadOnlyList<AgeIdentity> identities) =>
        new(identities, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', identities.Select(i => i.SecretText()).Order(StringComparer.Ordinal))))));

    /// <summary>The identities in the <c>*.agekey</c> entries of a Secret's data; throws naming the entry (never its content).</summary>
    public static SopsKeyring FromSecretData(IReadOnlyDictionary<string, byte[]> data, string secret)
    {
        var identities = new List<AgeIdentity>();
        foreach (var (name, value) in data.Where(d => d.Key.EndsWith(KeySuffix, StringComparison.Ordinal)).OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            try
            {
                identities.AddRange(AgeIdentity.ParseFile(Encoding.UTF8.GetString(value)));
            }
            catch (AgeException e)
            {
                throw new SopsException($"the entry {name} of the decryption Secret {secret} cannot be read: {e.Message}");
            }
        }
        if (identities.Count == 0) throw new SopsException($"the decryption Secret {secret} holds no age identity (an entry named *{KeySuffix})");
        return Of(identities);
    }

    /// <summary>The file's 32-byte data key, from the first age entry one of the identities opens.</summary>
    public byte[] DataKey(SopsMetadata metadata)
    {
        if (metadata.AgeKeys.Count == 0)
            throw new SopsException(metadata.OtherKeyTypes.Count > 0
                ? $"is encrypted for {string.Join(", ", metadata.OtherKeyTypes)} only; the operator decrypts with age keys"
                : "names no age recipient in its sops metadata");
        var problems = new List<string>();
        foreach (var entry in metadata.AgeKeys)
        {
            try
            {
                var key = AgeFile.Decrypt(AgeFile.Dearmor(entry.EncryptedDataKey), Identities);
                if (key.Length != 32) throw new SopsException("has a data key that is not 32 bytes");
                return key;
            }
            catch (AgeException e)
            {
                problems.Add($"{entry.Recipient}: {e.Message}");
            }
        }
        var mine = string.Join(", ", Identities.Select(i => i.Recipient.ToString()).Distinct());
        throw new SopsException($"cannot be decrypted with the keys given: the file is for {string.Join(", ", metadata.AgeKeys.Select(k => k.Recipient))}; the decryption Secret holds {mine} ({string.Join("; ", problems)})");
    }
}
