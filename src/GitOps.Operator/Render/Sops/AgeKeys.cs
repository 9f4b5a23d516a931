using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace GitOps.Operator.Render.Sops;

/// <summary>A failure to read, encrypt or decrypt age data. The message never holds key material or plaintext.</summary>
public sealed class AgeException(string message) : Exception(message);

/// <summary>An age X25519 public key, written <c>age1…</c>.</summary>
public sealed class AgeRecipient
{
    internal AgeRecipient(byte[] publicKey) => PublicKey = publicKey;

    internal byte[] PublicKey { get; }

    public static AgeRecipient Parse(string text)
    {
        try
        {
            var (prefix, key) = Bech32.Decode(text.Trim());
            if (prefix != "age") throw new AgeException($"\"{text}\" is not an age recipient (age1…)");
            if (key.Length != 32) throw new AgeException($"\"{text}\" is not an X25519 age recipient");
            return new AgeRecipient(key);
        }
        catch (FormatException e)
        {
            throw new AgeException($"\"{text}\" is not an age recipient: {e.Message}");
        }
    }

    public override string ToString() => Bech32.Encode("age", PublicKey);
}

/// <summary>An age X25519 identity (secret key), written <c>AGE-SECRET-KEY-1…</c>. <see cref="ToString"/> names its recipient only.</summary>
public sealed class AgeIdentity
{
    private readonly X25519PrivateKeyParameters _key;

    private AgeIdentity(byte[] secret)
    {
        _key = new X25519PrivateKeyParameters(secret);
        Recipient = new AgeRecipient(_key.GeneratePublicKey().GetEncoded());
    }

    public AgeRecipient Recipient { get; }

    public static AgeIdentity Generate() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Parses one identity; the message of a failure never repeats the text.</summary>
    public static AgeIdentity Parse(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal))
            throw new AgeException(trimmed.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal) || trimmed.StartsWith("AGE-PLUGIN-", StringComparison.Ordinal)
                ? "only X25519 age identities (AGE-SECRET-KEY-1…) are supported"
                : "not an age identity (AGE-SECRET-KEY-1…)");
        try
        {
            var (prefix, key) = Bech32.Decode(trimmed);
            if (prefix != "AGE-SECRET-KEY-" || key.Length != 32) throw new AgeException("malformed age identity");
            return new AgeIdentity(key);
        }
        catch (FormatException e)
        {
            throw new AgeException($"malformed age identity: {e.Message}");
        }
    }

    /// <summary>Every identity in an age key file: one per line, blank lines and <c>#</c> comments skipped.</summary>
    public static IReadOnlyList<AgeIdentity> ParseFile(string text) =>
        [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).Select(Parse)];

    /// <summary>The secret key in age's text form: for writing a key file only.</summary>
    public string SecretText() => Bech32.Encode("AGE-SECRET-KEY-", _key.GetEncoded());

    /// <summary>X25519(secret, point); throws when the result is all zeros (a low-order point).</summary>
    internal byte[] Agree(byte[] point)
    {
        var shared = new byte[32];
        try
        {
            _key.GenerateSecret(new X25519PublicKeyParameters(point), shared, 0);
        }
        catch (InvalidOperationException)
        {
            throw new AgeException("invalid X25519 share in an age recipient stanza");
        }
        return shared;
    }

    public override string ToString() => $"age identity for {Recipient}";
}
