using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Render.Sops;

public enum SopsFormat
{
    Yaml,
    Json,
    Dotenv,
}

/// <summary>A decrypted document: its branches without the sops block, and whether a value of a Secret's data or stringData was stored in plain text.</summary>
public sealed record SopsDecrypted(IReadOnlyList<JsonObject> Branches, bool PlainSecretData);

/// <summary>
/// Whole SOPS documents (YAML, JSON, dotenv): decrypted with a <see cref="SopsKeyring"/> and the MAC
/// checked, or encrypted to age recipients so that stock <c>sops</c> decrypts them. Everything stays
/// in memory; messages name what failed, never a value.
/// </summary>
public static class SopsDocument
{
    public static SopsFormat FormatOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".json" => SopsFormat.Json,
        ".env" => SopsFormat.Dotenv,
        _ => SopsFormat.Yaml,
    };

    /// <summary>Cheap test (Flux's markers): does the text carry a SOPS MAC?</summary>
    public static bool LooksEncrypted(string text) =>
        text.Contains("mac: ENC[", StringComparison.Ordinal) || text.Contains("\"mac\": \"ENC[", StringComparison.Ordinal) ||
        text.Contains("\"mac\":\"ENC[", StringComparison.Ordinal) || text.Contains("sops_mac=ENC[", StringComparison.Ordinal);

    public static IReadOnlyList<JsonObject> Load(string text, SopsFormat format) => format switch
    {
        SopsFormat.Json => [SopsJson.Load(text)],
        SopsFormat.Dotenv => [SopsDotenv.Load(text)],
        _ => SopsYaml.Load(text),
    };

    public static string Emit(IReadOnlyList<JsonObject> branches, SopsFormat format) => format switch
    {
        SopsFormat.Json when branches.Count == 1 => SopsJson.Emit(branches[0]),
        SopsFormat.Json => throw new SopsException("JSON holds one document only"),
        SopsFormat.Dotenv when branches.Count == 1 => SopsDotenv.Emit(branches[0]),
        SopsFormat.Dotenv => throw new SopsException("dotenv holds one document only"),
        _ => SopsYaml.Emit(branches),
    };

    public static SopsDecrypted Decrypt(string text, SopsFormat format, SopsKeyring keys)
    {
        var (branches, metadata) = Split(Load(text, format));
        var (decrypted, matched) = Decrypt(branches, metadata, keys);
        if (!matched) throw new SopsException(MacMismatch);
        return decrypted;
    }

    public const string MacMismatch = "MAC mismatch: the file was changed after it was encrypted";

    /// <summary>The branches without their sops block, and the metadata of the first one (SOPS keeps one block per document, the same in each).</summary>
    public static (IReadOnlyList<JsonObject> Branches, SopsMetadata Metadata) Split(IReadOnlyList<JsonObject> branches)
    {
        if (branches.Count == 0 || branches[0][SopsMetadata.Key] is not JsonObject block) throw new SopsException("has no sops metadata");
        var metadata = SopsMetadata.Parse(block);
        var data = branches.Select(b =>
        {
            var copy = (JsonObject)b.DeepClone();
            copy.Remove(SopsMetadata.Key);
            return copy;
        }).ToList();
        return (data, metadata);
    }

    /// <summary>Decrypts every value the rules say is encrypted; whether the recomputed MAC equals the file's.</summary>
    public static (SopsDecrypted Decrypted, bool MacMatched) Decrypt(IReadOnlyList<JsonObject> branches, SopsMetadata metadata, SopsKeyring keys)
    {
        var dataKey = keys.DataKey(metadata);
        try
        {
            var walk = SopsTree.Decrypt(branches, dataKey, metadata.Rules);
            if (metadata.Mac.Length == 0) throw new SopsException("has no MAC");
            JsonValue stored;
            try
            {
                stored = SopsCipher.Decrypt(metadata.Mac, dataKey, metadata.MacAdditionalData());
            }
            catch (SopsException)
            {
                throw new SopsException("has a MAC that cannot be decrypted (the sops metadata was changed)");
            }
            var storedMac = stored.TryGetValue<string>(out var s) ? s : "";
            var matched = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedMac), Encoding.ASCII.GetBytes(walk.Mac));
            return (new SopsDecrypted(walk.Branches, walk.PlainSecretData), matched);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Encrypts a plain document to the recipients: a fresh data key, values encrypted by the rules, the MAC, and the sops block.</summary>
    public static string Encrypt(string plaintext, SopsFormat format, IReadOnlyList<AgeRecipient> recipients, SopsRules rules, DateTimeOffset now)
    {
        rules.Validate();
        var branches = Load(plaintext, format);
        if (branches.Count == 0) throw new SopsException("is empty");
        if (branches.Any(b => b.ContainsKey(SopsMetadata.Key))) throw new SopsException("already has sops metadata (is it encrypted already?)");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var walk = SopsTree.Encrypt(branches, dataKey, rules);
            var lastModified = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var ageKeys = recipients.Select(r => new SopsAgeKey(r.ToString(), AgeFile.Armor(AgeFile.Encrypt(dataKey, [r])))).ToList();
            var metadata = new SopsMetadata(ageKeys, [], lastModified, "", rules, SopsMetadata.FormatVersion);
            metadata = metadata with { Mac = SopsCipher.Encrypt(JsonValue.Create(walk.Mac), dataKey, metadata.MacAdditionalData()) };
            var block = metadata.ToJson();
            var output = walk.Branches.Select(b =>
            {
                var copy = (JsonObject)b.DeepClone();
                copy[SopsMetadata.Key] = block.DeepClone();
                return copy;
            }).ToList();
            return Emit(output, format);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}
