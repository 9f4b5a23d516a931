using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Render.Sops;

/// <summary>One age entry of the <c>sops</c> block: the recipient and the data key encrypted to it (armored age file).</summary>
public sealed record SopsAgeKey(string Recipient, string EncryptedDataKey);

/// <summary>
/// The <c>sops</c> metadata block: the data key encrypted to each master key, the encrypted MAC,
/// when it was last modified (the MAC's additional data) and the encryption rules. Only age master
/// keys can be used here; a file for PGP or a cloud KMS only says so.
/// </summary>
public sealed record SopsMetadata(IReadOnlyList<SopsAgeKey> AgeKeys, IReadOnlyList<string> OtherKeyTypes, string LastModified, string Mac, SopsRules Rules, string Version)
{
    public const string Key = "sops";

    /// <summary>The SOPS file format this writes (a version stock sops reads and compares as semver).</summary>
    public const string FormatVersion = "3.9.0";

    private static readonly string[] KeyTypes = ["pgp", "kms", "gcp_kms", "hckms", "azure_kv", "hc_vault", "age"];

    public static SopsMetadata Parse(JsonObject sops)
    {
        var groups = sops["key_groups"] as JsonArray;
        if (groups is { Count: > 1 }) throw new SopsException("uses several key groups (Shamir secret sharing), which is not supported");
        var group = groups is { Count: 1 } ? groups[0] as JsonObject ?? new JsonObject() : sops;
        var age = new List<SopsAgeKey>();
        foreach (var entry in (group["age"] as JsonArray ?? []).OfType<JsonObject>())
            age.Add(new SopsAgeKey(Text(entry, "recipient"), Text(entry, "enc")));
        var others = KeyTypes.Where(t => t != "age" && group[t] is JsonArray { Count: > 0 }).ToList();
        var rules = new SopsRules
        {
            UnencryptedSuffix = Optional(sops, "unencrypted_suffix"),
            EncryptedSuffix = Optional(sops, "encrypted_suffix"),
            UnencryptedRegex = Optional(sops, "unencrypted_regex"),
            EncryptedRegex = Optional(sops, "encrypted_regex"),
            MacOnlyEncrypted = sops["mac_only_encrypted"] is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : string.Equals(v.ToString(), "true", StringComparison.OrdinalIgnoreCase)),
        };
        if (Optional(sops, "unencrypted_comment_regex") is not null || Optional(sops, "encrypted_comment_regex") is not null)
            throw new SopsException("uses encrypted_comment_regex or unencrypted_comment_regex, which is not supported");
        rules.Validate();
        if (rules.UnencryptedSuffix is null && rules.EncryptedSuffix is null && rules.UnencryptedRegex is null && rules.EncryptedRegex is null)
            rules = rules with { UnencryptedSuffix = SopsRules.DefaultUnencryptedSuffix };
        var lastModified = Text(sops, "lastmodified");
        return new SopsMetadata(age, others, lastModified, Optional(sops, "mac") ?? "", rules, Optional(sops, "version") ?? "");
    }

    /// <summary>The MAC's additional data: lastmodified as Go's time.RFC3339 writes it back (no fraction; Z for UTC).</summary>
    public string MacAdditionalData()
    {
        if (!DateTimeOffset.TryParse(LastModified, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t))
            throw new SopsException("has a lastmodified that is not an RFC 3339 time");
        var offset = t.Offset == TimeSpan.Zero ? "Z" : (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        return t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + offset;
    }

    /// <summary>The block as SOPS writes it (keys in name order).</summary>
    public JsonObject ToJson()
    {
        var block = new JsonObject
        {
            ["age"] = new JsonArray([.. AgeKeys.Select(k => (JsonNode)new JsonObject { ["recipient"] = k.Recipient, ["enc"] = k.EncryptedDataKey })]),
        };
        if (Rules.EncryptedRegex is { Length: > 0 } er) block["encrypted_regex"] = er;
        if (Rules.EncryptedSuffix is { Length: > 0 } es) block["encrypted_suffix"] = es;
        block["lastmodified"] = LastModified;
        block["mac"] = Mac;
        if (Rules.MacOnlyEncrypted) block["mac_only_encrypted"] = true;
        if (Rules.UnencryptedRegex is { Length: > 0 } ur) block["unencrypted_regex"] = ur;
        if (Rules.UnencryptedSuffix is { Length: > 0 } us) block["unencrypted_suffix"] = us;
        block["version"] = Version;
        return block;
    }

    private static string Text(JsonObject obj, string name) =>
        Optional(obj, name) ?? throw new SopsException($"has no {name} in its sops metadata");

    private static string? Optional(JsonObject obj, string name) => obj[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
        JsonValue v => v.ToString(),
        _ => null,
    };
}
