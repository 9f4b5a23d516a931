using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// The age v1 file format (age-encryption.org/v1) for X25519 recipients: a text header of recipient
/// stanzas closed by an HMAC, then a 16-byte nonce and the payload in 64 KiB ChaCha20-Poly1305
/// chunks (STREAM). Plus the ASCII armor SOPS stores data keys in. Follows the age specification.
/// </summary>
public static class AgeFile
{
    private const string Intro = "age-encryption.org/v1\n";
    private const string X25519Label = "age-encryption.org/v1/X25519";
    private const string ArmorHeader = "-----BEGIN AGE ENCRYPTED FILE-----";
    private const string ArmorFooter = "-----END AGE ENCRYPTED FILE-----";
    private const int FileKeySize = 16;
    private const int NonceSize = 16;
    private const int ChunkSize = 64 * 1024;
    private const int TagSize = 16;
    private const int ColumnsPerLine = 64;
    private const int BytesPerLine = ColumnsPerLine / 4 * 3;

    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<AgeRecipient> recipients)
    {
        if (recipients.Count == 0) throw new AgeException("no age recipients");
        var fileKey = RandomNumberGenerator.GetBytes(FileKeySize);
        var header = new StringBuilder(Intro);
        foreach (var recipient in recipients) AppendStanza(header, Wrap(fileKey, recipient));
        header.Append("---");
        var mac = HeaderMac(fileKey, Encoding.ASCII.GetBytes(header.ToString()));
        header.Append(' ').Append(RawBase64(mac)).Append('\n');

        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        using var output = new MemoryStream();
        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nonce);
        output.Write(Stream(fileKey, nonce, plaintext, encrypt: true));
        return output.ToArray();
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> file, IReadOnlyList<AgeIdentity> identities)
    {
        if (identities.Count == 0) throw new AgeException("no age identities");
        var (stanzas, headerWithoutMac, mac, payloadStart) = ParseHeader(file);
        byte[]? fileKey = null;
        foreach (var identity in identities)
        {
            foreach (var stanza in stanzas.Where(s => s.Type == "X25519"))
            {
                fileKey = Unwrap(identity, stanza);
                if (fileKey is not null) break;
            }
            if (fileKey is not null) break;
        }
        if (fileKey is null) throw new AgeException("no identity matched any of the recipients");
        if (!CryptographicOperations.FixedTimeEquals(HeaderMac(fileKey, headerWithoutMac), mac)) throw new AgeException("bad header MAC");
        var rest = file[payloadStart..];
        if (rest.Length < NonceSize) throw new AgeException("the payload nonce is missing");
        return Stream(fileKey, rest[..NonceSize].ToArray(), rest[NonceSize..], encrypt: false);
    }

    /// <summary>PEM-like armor: 64-column standard base64 between BEGIN/END lines, as SOPS stores an age data key.</summary>
    public static string Armor(ReadOnlySpan<byte> file)
    {
        var b64 = Convert.ToBase64String(file);
        var text = new StringBuilder(ArmorHeader).Append('\n');
        for (var i = 0; i < b64.Length; i += ColumnsPerLine) text.Append(b64, i, Math.Min(ColumnsPerLine, b64.Length - i)).Append('\n');
        return text.Append(ArmorFooter).Append('\n').ToString();
    }

    public static byte[] Dearmor(string armored)
    {
        var lines = armored.Replace("\r\n", "\n", StringComparison.Ordinal).Trim().Split('\n');
        if (lines.Length < 2 || lines[0] != ArmorHeader || lines[^1] != ArmorFooter) throw new AgeException("invalid armor: missing BEGIN/END AGE ENCRYPTED FILE lines");
        var body = lines[1..^1];
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i].Length == 0) throw new AgeException("invalid armor: empty line");
            if (body[i].Length > ColumnsPerLine || (i < body.Length - 1 && body[i].Length != ColumnsPerLine)) throw new AgeException("invalid armor: wrong line length");
        }
        try
        {
            return Convert.FromBase64String(string.Concat(body));
        }
        catch (FormatException)
        {
            throw new AgeException("invalid armor: not base64");
        }
    }

    private sealed record Stanza(string Type, string[] Args, byte[] Body);

    private static Stanza Wrap(byte[] fileKey, AgeRecipient recipient)
    {
        var ephemeral = new X25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
        var share = ephemeral.GeneratePublicKey().GetEncoded();
        var shared = new byte[32];
        ephemeral.GenerateSecret(new X25519PublicKeyParameters(recipient.PublicKey), shared, 0);
        var wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. share, .. recipient.PublicKey], Encoding.ASCII.GetBytes(X25519Label));
        return new Stanza("X25519", [RawBase64(share)], Seal(wrapKey, new byte[12], fileKey));
    }

    /// <summary>The file key, or null when this stanza is not for this identity.</summary>
    private static byte[]? Unwrap(AgeIdentity identity, Stanza stanza)
    {
        if (stanza.Args.Length != 1) throw new AgeException("invalid X25519 recipient stanza");
        var share = FromRawBase64(stanza.Args[0]);
        if (share.Length != 32) throw new AgeException("invalid X25519 recipient stanza");
        if (stanza.Body.Length != FileKeySize + TagSize) throw new AgeException("invalid X25519 recipient stanza: wrong file key size");
        var shared = identity.Agree(share);
        var wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. share, .. identity.Recipient.PublicKey], Encoding.ASCII.GetBytes(X25519Label));
        return TryOpen(wrapKey, new byte[12], stanza.Body);
    }

    private static void AppendStanza(StringBuilder header, Stanza stanza)
    {
        header.Append("-> ").Append(stanza.Type);
        foreach (var arg in stanza.Args) header.Append(' ').Append(arg);
        header.Append('\n');
        var body = RawBase64(stanza.Body);
        for (var i = 0; i < body.Length; i += ColumnsPerLine) header.Append(body, i, Math.Min(ColumnsPerLine, body.Length - i)).Append('\n');
        if (body.Length % ColumnsPerLine == 0) header.Append('\n'); // a body always ends with a short line, maybe empty
    }

    private static (List<Stanza> Stanzas, byte[] HeaderWithoutMac, byte[] Mac, int PayloadStart) ParseHeader(ReadOnlySpan<byte> file)
    {
        var position = 0;
        string Line(ReadOnlySpan<byte> f)
        {
            var end = f[position..].IndexOf((byte)'\n');
            if (end < 0) throw new AgeException("the age header is truncated");
            var line = Encoding.ASCII.GetString(f.Slice(position, end));
            if (line.Any(c => c > 126 || (c < 32 && c != '\n'))) throw new AgeException("the age header holds invalid characters");
            position += end + 1;
            return line;
        }
        if (Line(file) + "\n" != Intro) throw new AgeException("not an age file (unexpected intro)");
        var stanzas = new List<Stanza>();
        while (true)
        {
            var lineStart = position;
            var line = Line(file);
            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts[0] != "---" || parts.Length != 2) throw new AgeException("malformed age header closing line");
                var mac = FromRawBase64(parts[1]);
                if (mac.Length != 32) throw new AgeException("malformed age header MAC");
                return (stanzas, file[..(lineStart + 3)].ToArray(), mac, position);
            }
            var args = line.Split(' ');
            if (args[0] != "->" || args.Length < 2 || args.Skip(1).Any(a => a.Length == 0)) throw new AgeException("malformed age recipient stanza");
            var body = new List<byte>();
            while (true)
            {
                var bodyLine = Line(file);
                var bytes = FromRawBase64(bodyLine);
                if (bytes.Length > BytesPerLine) throw new AgeException("malformed age stanza body: line too long");
                body.AddRange(bytes);
                if (bytes.Length < BytesPerLine) break;
            }
            stanzas.Add(new Stanza(args[1], args[2..], [.. body]));
        }
    }

    private static byte[] HeaderMac(byte[] fileKey, byte[] headerWithoutMac)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, [], "header"u8.ToArray());
        return HMACSHA256.HashData(key, headerWithoutMac);
    }

    /// <summary>STREAM: chunks of 64 KiB under ChaCha20-Poly1305, nonce = 11-byte big-endian counter ‖ last-chunk flag.</summary>
    private static byte[] Stream(byte[] fileKey, byte[] nonce, ReadOnlySpan<byte> input, bool encrypt)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, nonce, "payload"u8.ToArray());
        using var aead = new ChaCha20Poly1305(key);
        using var output = new MemoryStream();
        var chunk = encrypt ? ChunkSize : ChunkSize + TagSize;
        if (!encrypt && input.Length == 0) throw new AgeException("the age payload is empty");
        var counter = 0L;
        var offset = 0;
        while (true)
        {
            var length = Math.Min(chunk, input.Length - offset);
            var last = offset + length >= input.Length;
            if (!encrypt && length < TagSize) throw new AgeException("the age payload is truncated");
            if (!encrypt && last && length == TagSize && counter > 0) throw new AgeException("the last age payload chunk is empty");
            var chunkNonce = new byte[12];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(chunkNonce.AsSpan(3, 8), counter);
            if (last) chunkNonce[11] = 1;
            var piece = input.Slice(offset, length);
            if (encrypt)
            {
                output.Write(Seal(key, chunkNonce, piece));
            }
            else
            {
                var plain = new byte[length - TagSize];
                try
                {
                    aead.Decrypt(chunkNonce, piece[..^TagSize], piece[^TagSize..], plain);
                }
                catch (AuthenticationTagMismatchException)
                {
                    throw new AgeException("the age payload failed to authenticate (corrupted or tampered)");
                }
                output.Write(plain);
            }
            offset += length;
            counter++;
            if (last) break;
        }
        return output.ToArray();
    }

    private static byte[] Seal(byte[] key, byte[] nonce, ReadOnlySpan<byte> plaintext)
    {
        using var aead = new ChaCha20Poly1305(key);
        var result = new byte[plaintext.Length + TagSize];
        aead.Encrypt(nonce, plaintext, result.AsSpan(0, plaintext.Length), result.AsSpan(plaintext.Length));
        return result;
    }

    private static byte[]? TryOpen(byte[] key, byte[] nonce, byte[] sealedBox)
    {
        using var aead = new ChaCha20Poly1305(key);
        var plain = new byte[sealedBox.Length - TagSize];
        try
        {
            aead.Decrypt(nonce, sealedBox.AsSpan(0, plain.Length), sealedBox.AsSpan(plain.Length), plain);
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static string RawBase64(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>Strict unpadded standard base64, as age writes it (no padding, no line breaks).</summary>
    private static byte[] FromRawBase64(string text)
    {
        if (text.Contains('=', StringComparison.Ordinal) || text.Length % 4 == 1) throw new AgeException("malformed base64 in the age header");
        try
        {
            var bytes = Convert.FromBase64String(text + new string('=', (4 - text.Length % 4) % 4));
            if (RawBase64(bytes) != text) throw new AgeException("non-canonical base64 in the age header");
            return bytes;
        }
        catch (FormatException)
        {
            throw new AgeException("malformed base64 in the age header");
        }
    }
}
